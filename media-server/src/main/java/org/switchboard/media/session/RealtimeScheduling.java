package org.switchboard.media.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Linux's round-robin real-time scheduling ({@code SCHED_RR}) for the calling thread. The JDK has no call for it, so
 * the thread finds its own id in {@code /proc/thread-self} and asks util-linux's {@code chrt}, which succeeds with
 * {@code CAP_SYS_NICE} or an {@code RLIMIT_RTPRIO} at least the priority (systemd: {@code LimitRTPRIO=}).
 */
final class RealtimeScheduling {

    private static final int SCHED_RR = 2;
    // the policy is the 41st field of /proc/<tid>/stat, the 39th after the parenthesised command name
    private static final int POLICY_AFTER_NAME = 38;

    private RealtimeScheduling() {
    }

    /** Asks for {@code SCHED_RR} at {@code priority} (1-99) for the calling thread: empty when granted, else why not. */
    static Optional<String> requestForCurrentThread(int priority) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("real-time scheduling is only asked for on Linux");
        }
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            String tid = self.getFileName().toString();
            Process chrt = new ProcessBuilder("chrt", "--rr", "-p", Integer.toString(priority), tid)
                    .redirectErrorStream(true).start();
            if (!chrt.waitFor(5, TimeUnit.SECONDS)) {
                chrt.destroyForcibly();
                return Optional.of("chrt did not answer within 5 s");
            }
            String output = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (chrt.exitValue() != 0) {
                return Optional.of("chrt refused: " + (output.isEmpty() ? "exit " + chrt.exitValue() : output));
            }
            return policyOf(Path.of("/proc/thread-self/stat")) == SCHED_RR ? Optional.empty()
                    : Optional.of("chrt succeeded but the thread's policy is unchanged");
        } catch (IOException e) {
            return Optional.of("cannot run chrt: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The scheduling policy in a {@code /proc/.../stat} file (0: normal, 1: FIFO, 2: round robin). */
    static int policyOf(Path stat) throws IOException {
        String line = Files.readString(stat, StandardCharsets.US_ASCII);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[POLICY_AFTER_NAME]);
    }
}
