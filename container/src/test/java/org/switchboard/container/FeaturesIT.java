package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * A JAR application in a running container: method qualifiers, middleware order and mounting, a middleware
 * that answers and stops the chain, error middleware, a container-wide middleware, a CDI interceptor on an
 * observer, per-dialog listeners, CDRs, 404 for a routed method nobody observes, class-loader isolation, and a
 * second application whose routing conflicts being refused at deployment.
 */
class FeaturesIT {

    @TempDir
    static Path dir;
    static Path deployments;
    static int sipPort;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("features.")).forEach(System::clearProperty);
        deployments = Files.createDirectories(dir.resolve("deployments"));
        Archives.jar(deployments.resolve("features.jar"), "org.switchboard.testapps.features", Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE,MESSAGE,OPTIONS\nrouting.user=feat.*\nrouting.priority=10\n"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"));
        sipPort = FreePorts.udp();
        container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "sip.cdrs", "true",
                "app.uas.routing.user", "(uas|override).*",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "deployments.scan", "200")));
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    static Sipp.Result call(Sipp sipp, String... args) {
        return sipp.target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0").args(args)
                .deadline(Duration.ofSeconds(30)).run();
    }

    static Path own(String name) throws Exception {
        return Path.of(FeaturesIT.class.getResource("/sipp/" + name).toURI());
    }

    static String reported(String key) throws InterruptedException {
        return reported(key, value -> true);
    }

    /**
     * What the test app reported under {@code key}, once the report is {@code complete} or after 5 s: the app appends
     * to some reports as a call goes on (its events after the ACK, then after the BYE).
     */
    static String reported(String key, Predicate<String> complete) throws InterruptedException {
        Poll.until(Duration.ofSeconds(5), () -> {
            String value = System.getProperty("features." + key);
            return value != null && complete.test(value);
        });
        return String.valueOf(System.getProperty("features." + key));
    }

    @Test
    void anInviteRunsTheMiddlewareInOrderThenTheInterceptedObserver() throws Exception {
        Sipp.Result r = call(Sipp.builtIn("uac"), "-s", "feat-call", "-m", "1", "-d", "200");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(reported("order")).isEqualTo("first,second");
        assertThat(reported("container")).isEqualTo("seen");
        assertThat(reported("intercepted")).isEqualTo("onInvite");
        assertThat(reported("hidden")).as("no container, Netty or other application classes visible").isEqualTo("true");
        assertThat(reported("events", v -> v.endsWith("DESTROY"))).isEqualTo("ACK,DESTROY");
        // the listener is added once the 200 was sent: the ACK may come before it
        assertThat(reported("listener", v -> v.endsWith("DESTROY"))).endsWith("DESTROY");
        assertThat(reported("cdrs", v -> v.contains("STOP"))).contains("ATTEMPT").contains("START").contains("STOP");
    }

    @Test
    void aMiddlewareCanAnswerAndStopTheChain() throws Exception {
        Sipp.Result r = call(Sipp.scenario(own("invite-reject-expect-403.xml")), "-s", "feat-reject", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        String scrape = container.operations().scrape();
        assertThat(MetricsIT.value(scrape, "switchboard_middleware_rejections_total", "application", "features"))
                .as("the only request a middleware answered in this class").isEqualTo(1);
        assertThat(MetricsIT.value(scrape, "switchboard_call_failures_total", "application", "features", "status", "403"))
                .isEqualTo(1);
    }

    @Test
    void anObserverExceptionGoesToTheErrorMiddleware() throws Exception {
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-expect-503.xml")), "-s", "feat-boom", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(reported("errors")).isEqualTo("IllegalStateException");
    }

    @Test
    void anyMethodCanBeObservedWithSipMethod() throws Exception {
        Sipp.Result r = call(Sipp.scenario(own("message-expect-202.xml")), "-s", "feat-msg", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void aRoutedMethodNobodyObservesIsAnswered404() throws Exception {
        Sipp.Result r = call(Sipp.scenario(own("options-expect-404.xml")), "-s", "feat-ping", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void theContainerConfigurationOverridesAnArchivesRouting() {
        Sipp.Result r = call(Sipp.builtIn("uac"), "-s", "override-me", "-m", "1", "-d", "100");
        assertThat(r.successfulCalls()).as("app.uas.routing.user widened the UAS sample's users: " + r.describe()).isEqualTo(1);
    }

    @Test
    void anApplicationWhoseRoutingConflictsIsRefused() throws Exception {
        Path clash = Archives.jar(dir.resolve("clash.jar"), "org.switchboard.testapps.clash", Map.of(
                "beans.xml", "", "switchboard.properties", "routing.user=f.*t\nrouting.priority=10\n")); // another pattern, same users
        Files.copy(clash, deployments.resolve("clash.jar"));
        Path failed = deployments.resolve("clash.jar.failed");
        Poll.await(Duration.ofSeconds(10), "the refusal marker " + failed, () -> Files.exists(failed));
        assertThat(Files.readString(failed)).contains("routing of clash (", ") overlaps features (", "for user 'feat'",
                "app.clash.routing.priority");
        Sipp.Result r = call(Sipp.builtIn("uac"), "-s", "uas", "-m", "1", "-d", "100");
        assertThat(r.successfulCalls()).as("the other applications still serve: " + r.describe()).isEqualTo(1);
    }
}
