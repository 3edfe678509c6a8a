package org.switchboard.media.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of encoding and decoding one 20 ms frame with each codec, on one thread: what a transcoded leg costs the
 * media clock per packet and direction. A tone with a little noise (speech-like enough that Opus does not idle),
 * encoded, then decoded; CPU time of this thread, the best of the runs after warm-up runs, so that a loaded machine
 * disturbs the figure less than it disturbs wall-clock time. Not a test: {@code scripts/bench-codecs} runs it and
 * prints one JSON line per codec and, for Opus, per implementation that loads here (native libopus builds, then
 * Concentus). Usage: {@code CodecCostBenchmark [runs] [frames per run]} (defaults 10 and 2000).
 */
public final class CodecCostBenchmark {

    private CodecCostBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        List<Codec> codecs = new ArrayList<>(List.of(Codecs.byName("PCMU").orElseThrow(),
                Codecs.byName("G722").orElseThrow()));
        List<OpusCoder> opus = new ArrayList<>(OpusCoder.nativeCoders());
        opus.add(ConcentusOpus.INSTANCE);
        for (OpusCoder coder : opus) {
            for (int rate : new int[] {8000, 16000, 48000}) {
                codecs.add(new OpusCodec(rate, coder));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Codec codec : codecs) {
            int rate = codec.sampleRate();
            short[] pcm = new short[rate / 50];
            short[] out = new short[6 * pcm.length];
            byte[] payload = new byte[1500];
            String implementation = codec instanceof OpusCodec o ? o.implementation() : "Java";
            Codec.Encoder encoder = codec.encoder();
            Codec.Decoder decoder = codec.decoder();
            java.util.Random noise = new java.util.Random(1);
            double phase = 0;
            long bestEncode = Long.MAX_VALUE;
            long bestDecode = Long.MAX_VALUE;
            long sink = 0;
            for (int run = 0; run < runs + 3; run++) { // the first three warm the JIT up
                long encode = 0;
                long decode = 0;
                for (int f = 0; f < frames; f++) {
                    for (int i = 0; i < pcm.length; i++) {
                        phase += 2 * Math.PI * (300 + 50 * (i % 7)) / rate;
                        pcm[i] = (short) (8000 * Math.sin(phase) + 300 * noise.nextGaussian());
                    }
                    long t0 = threads.getCurrentThreadCpuTime();
                    int length = encoder.encode(pcm, payload);
                    long t1 = threads.getCurrentThreadCpuTime();
                    sink += decoder.decode(payload, 0, length, out, 0);
                    long t2 = threads.getCurrentThreadCpuTime();
                    encode += t1 - t0;
                    decode += t2 - t1;
                }
                if (run >= 3) {
                    bestEncode = Math.min(bestEncode, encode / frames);
                    bestDecode = Math.min(bestDecode, decode / frames);
                }
            }
            encoder.close();
            decoder.close();
            System.out.printf("{\"codec\":\"%s\",\"by\":\"%s\",\"rate\":%d,\"encodeMicrosPerFrame\":%.1f,"
                    + "\"decodeMicrosPerFrame\":%.1f,\"frames\":%d,\"runs\":%d,\"sink\":%d}%n", codec.name(),
                    implementation, rate, bestEncode / 1000.0, bestDecode / 1000.0, frames, runs, sink);
        }
    }
}
