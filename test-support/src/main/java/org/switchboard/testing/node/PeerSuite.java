package org.switchboard.testing.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer library's own test suite, unchanged, against the project's servers: {@code scripts/peer-suites <suite>}
 * rebuilds the suite's docker-compose testbed as processes in a private network namespace and runs it
 * (docs/peer-suites.md). Network namespaces need root and the capability to make them: {@link #possible()} says
 * whether this JVM may run one.
 *
 * @param exitCode the script's exit code (0: every case passed but the listed ones)
 * @param output what it printed: the cases that did not simply pass, the counts, where the logs are
 */
public record PeerSuite(int exitCode, String output) {

    /**
     * Whether this machine lets a peer suite run: the JVM runs as root and may create a network namespace (a
     * container without the capability for it may not, nor a machine without {@code ip}); checked by creating one and
     * deleting it again.
     */
    public static boolean possible() throws InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        String probe = "peer-suites-probe-" + ProcessHandle.current().pid();
        if (!ip("netns", "add", probe)) {
            return false;
        }
        ip("netns", "del", probe);
        return true;
    }

    private static boolean ip(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no ip on PATH
        }
    }

    /**
     * Runs {@code scripts/peer-suites --deadline <deadline> <suite>} from {@code root} with {@code environment}
     * added (the commands that start the servers), its output in {@code log}; waits a minute longer than the
     * script's own deadline and then stops it with SIGTERM, which tears its namespace down.
     */
    public static PeerSuite run(Path root, String suite, int deadlineSeconds, Map<String, String> environment,
                                Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/peer-suites").toString(),
                "--deadline", Integer.toString(deadlineSeconds), suite)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process script = builder.start();
        if (!script.waitFor(deadlineSeconds + 60L, TimeUnit.SECONDS)) {
            script.destroy();
            if (!script.waitFor(30, TimeUnit.SECONDS)) {
                script.destroyForcibly();
            }
            throw new AssertionError("scripts/peer-suites " + suite + " outlived its deadline:\n" + Files.readString(log));
        }
        return new PeerSuite(script.exitValue(), Files.readString(log));
    }

    /**
     * The command that starts {@code mainClass} from a module of the reactor, as the launcher does: the module's
     * {@code target/classes} and its runtime class path ({@code target/classpath.txt}), the project's logging
     * configuration, and {@code jvmOptions}; one string, as scripts/peer-suites takes its {@code PEER_SUITES_*}
     * commands.
     */
    public static String javaCommand(Path root, String module, String mainClass, String... jvmOptions)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path target = root.resolve(module).resolve("target");
        String classPath = target.resolve("classes") + File.pathSeparator
                + Files.readString(target.resolve("classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(java,
                "-Dlogback.configurationFile=" + root.resolve("config/logback.xml")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, mainClass));
        return String.join(" ", command);
    }

    /** Whether every case passed but those the suite's expectations list, and the suite ran to its end. */
    public boolean passed() {
        return exitCode == 0 && output.contains(" 0 failed, ") && !output.contains("INCOMPLETE");
    }
}
