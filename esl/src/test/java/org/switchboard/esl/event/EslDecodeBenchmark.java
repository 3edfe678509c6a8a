package org.switchboard.esl.event;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.EslFrameDecoderTest;

/**
 * CPU time per event of decoding recorded FreeSWITCH events on one thread, without the connection around it: what
 * the listener's thread pays to read every header and the body ({@code all}), or what dispatch pays for Event-Name
 * and Unique-ID ({@code dispatch}). CPU time of this thread, not wall-clock time, so that a loaded machine slows the
 * run down without changing the figure much; the best of the runs is kept (interference only adds). Not a test:
 * {@code scripts/bench-esl-decode} runs it. Usage:
 * {@code EslDecodeBenchmark <transcript> [all|dispatch] [runs] [rounds per run]} (defaults: all, 30, 500); prints one
 * JSON line.
 */
public final class EslDecodeBenchmark {

    private EslDecodeBenchmark() {
    }

    public static void main(String[] args) {
        String transcript = args[0];
        boolean all = args.length <= 1 || args[1].equals("all");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        List<byte[]> events = new ArrayList<>();
        boolean json = false;
        for (EslFrame f : EslFrameDecoderTest.decode(EslFrameDecoderTest.switchSide(transcript), null)) {
            String type = f.contentType().orElse("");
            if (type.equals("text/event-json") || type.equals("text/event-plain")) {
                json = type.equals("text/event-json");
                events.add(f.body());
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long best = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int r = 0; r < rounds; r++) {
                for (byte[] text : events) {
                    EslEvent e = json ? EslEvent.fromJson(text) : EslEvent.fromPlain(text);
                    sink += all ? readAll(e) : e.eventName().length() + e.uniqueId().orElse("").length();
                }
            }
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        System.out.printf("{\"transcript\":\"%s\",\"read\":\"%s\",\"events\":%d,\"bestNanosPerEvent\":%d,\"sink\":%d}%n", transcript,
                all ? "all" : "dispatch", events.size(), best / ((long) rounds * events.size()), sink);
    }

    private static long readAll(EslEvent e) {
        long n = e.body().length();
        for (EslEvent.Header h : e.headers()) {
            n += h.name().length() + h.value().length();
        }
        return n;
    }
}
