package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The console with 1,000 calls up (a measurement, not in the default build: {@code scripts/bench-console} runs it).
 * sipp's built-in uac holds the calls on the UAS sample; headless chromium opens the console and the page's own clock
 * ({@code performance.now()}) times: the calls list showing its page of the 1,000, a new call and an ended call
 * reaching the open page (from the INVITE's arrival, resp. the call's end, in the container), a ladder opening; then
 * the page's JS heap, the bytes the page fetched per second and the event stream's bytes per second. The figures go
 * to stdout and {@code target/console-bench.txt}; docs/benchmarks.md keeps them.
 */
class ConsoleAtScaleBench {

    private static final String TOKEN = "admin-token-for-the-console-bench";
    private static final int CALLS = Integer.getInteger("bench.calls", 1000);
    private static final int SAMPLES = 5;

    @TempDir
    static Path dir;

    private final List<String> report = new ArrayList<>();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theConsoleWithAThousandCallsUp() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"));
        int sipPort = FreePorts.udp();
        String target = "127.0.0.1:" + sipPort;
        note("machine: %d cores, load before: %s", Runtime.getRuntime().availableProcessors(), load());
        try (Container container = Container.start(ContainerConfig.of(Map.of("admin.listen", "127.0.0.1:0",
                "admin.token", TOKEN, "sip.contacts", "sip:" + target + ";transport=udp",
                "deployments.dir", deployments.toString(), "deployments.work", dir.resolve("work").toString())))) {
            assertThat(Poll.until(Duration.ofSeconds(20), () -> container.deployer().deployments().size() == 1)).isTrue();
            String base = "http://127.0.0.1:" + container.admin().orElseThrow().port();
            WebDriver browser = HeadlessChromium.start(dir);
            try {
                browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
                browser.get(base + "/?token=" + TOKEN);
                new WebDriverWait(browser, Duration.ofSeconds(30))
                        .until(d -> d.findElement(By.id("live")).getAttribute("class").equals("live on"));
                JavascriptExecutor js = (JavascriptExecutor) browser;
                js.executeScript(WATCH);

                Sipp.Running held = Sipp.builtIn("uac").target(target).args("-i", "127.0.0.1", "-p", "0", "-s", "uas",
                        "-m", Integer.toString(CALLS), "-l", Integer.toString(CALLS), "-r", "200", "-d", "240000")
                        .deadline(Duration.ofSeconds(300)).start();
                long rampStart = System.nanoTime();
                Poll.await(Duration.ofSeconds(60), CALLS + " calls up", () -> calls(container) == CALLS);
                long up = System.currentTimeMillis();
                note("%d calls up in %d ms (sipp -r 200)", CALLS, (System.nanoTime() - rampStart) / 1_000_000);
                double shown = shown(js, "of " + CALLS, 0);
                note("open page during the ramp: 'of %d' shown %.0f ms after the last call was up", CALLS, shown - up);

                browser.get(base + "/");
                js.executeScript(WATCH);
                double origin = ((Number) js.executeScript("return performance.timeOrigin")).doubleValue();
                double opened = shown(js, "of " + CALLS, 0) - origin;
                long rows = (Long) js.executeScript("return document.querySelectorAll('#calls tbody tr').length");
                note("fresh page: its %d rows and 'of %d' shown %.0f ms after navigation start", rows, CALLS, opened);
                note("JS heap after opening: %.1f MB", heap(js));
                js.executeScript("performance.setResourceTimingBufferSize(100000); window.benchFrom = performance.now();");

                List<Long> added = new ArrayList<>();
                List<Long> ended = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    Sipp.Running one = Sipp.builtIn("uac").target(target).args("-i", "127.0.0.1", "-p", "0", "-s", "uas",
                            "-m", "1", "-d", "2000").deadline(Duration.ofSeconds(30)).start();
                    Poll.await(Duration.ofSeconds(20), "the extra call up", () -> calls(container) == CALLS + 1);
                    long invite = container.sip().callsInProgress().stream().mapToLong(c -> c.started().toEpochMilli())
                            .max().orElseThrow();
                    double in = shown(js, "of " + (CALLS + 1), invite);
                    added.add(Math.round(in - invite));
                    Poll.await(Duration.ofSeconds(20), "the extra call ended", () -> calls(container) == CALLS);
                    long gone = System.currentTimeMillis();
                    ended.add(Math.round(shown(js, "of " + CALLS, in) - gone));
                    one.await();
                }
                note("new call in the open page (INVITE in the container -> 'of %d' shown), ms: %s", CALLS + 1, added);
                note("ended call out of the open page (call ended -> 'of %d' shown), ms: %s", CALLS, ended);

                List<Long> ladders = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    ladders.add(Math.round(((Number) js.executeAsyncScript(LADDER, i)).doubleValue()));
                }
                note("a ladder opened (click -> arrows drawn), ms: %s", ladders);

                long sseBytes = eventStreamBytes(base, Duration.ofSeconds(20)); // the page idles meanwhile
                note("event stream: %.0f bytes/s", sseBytes / 20.0);
                note("page's fetches since the samples began: %.0f bytes/s over %.0f s", fetched(js)[0], fetched(js)[1]);
                note("JS heap after %.0f s more: %.1f MB", fetched(js)[1], heap(js));
                note("load after: %s", load());

                container.sip().callsInProgress().forEach(c -> container.sip().hangUp(c.callId(), "bench over"));
                Poll.await(Duration.ofSeconds(60), "the calls hung up", () -> calls(container) == 0);
                held.kill();
            } finally {
                browser.quit();
                Files.write(Path.of("target/console-bench.txt"), report);
            }
        }
    }

    // Keeps each text #page-info shows, with the epoch time (ms, fractional) it was set, in window.benchLog.
    private static final String WATCH = "window.benchLog = []; const e = document.getElementById('page-info');"
            + "const log = () => benchLog.push([performance.timeOrigin + performance.now(), e.textContent]); log();"
            + "new MutationObserver(log).observe(e, {subtree: true, childList: true, characterData: true});";

    // When #page-info first showed a text ending with `text`, set after `after` (epoch ms); waits up to 30 s for it.
    private static double shown(JavascriptExecutor js, String text, double after) throws InterruptedException {
        AtomicReference<Object> seen = new AtomicReference<>();
        Poll.await(Duration.ofSeconds(30), "the page showing '" + text + "'", () -> {
            seen.set(js.executeScript("const x = benchLog.find(([t, s]) => t >= arguments[1] && s.endsWith(arguments[0]));"
                    + "return x ? x[0] : null;", text, after));
            return seen.get() != null;
        });
        return ((Number) seen.get()).doubleValue();
    }

    // Opens the ladder of the arguments[0]th row: ms from the click to its arrows drawn (the ladder emptied before).
    private static final String LADDER = "const done = arguments[arguments.length - 1];"
            + "const row = document.querySelectorAll('#calls tbody tr')[arguments[0]];"
            + "document.getElementById('ladder').replaceChildren();"
            + "const t0 = performance.now(); row.click();"
            + "const wait = () => document.querySelector('#ladder g.arrow')"
            + "  && document.getElementById('ladder-title').textContent === row.dataset.key"
            + "  ? done(performance.now() - t0) : setTimeout(wait, 2); wait();";

    private static int calls(Container container) {
        return container.sip().callsInProgress().size();
    }

    private static double heap(JavascriptExecutor js) {
        return ((Number) js.executeScript("return performance.memory.usedJSHeapSize")).doubleValue() / 1e6;
    }

    // bytes/s the page fetched since benchFrom (the API's answers as transferred), and the seconds since
    private static double[] fetched(JavascriptExecutor js) {
        @SuppressWarnings("unchecked")
        List<Number> r = (List<Number>) js.executeScript(
                "const from = window.benchFrom, s = (performance.now() - from) / 1000;"
                + "const b = performance.getEntriesByType('resource').filter(e => e.startTime >= from)"
                + "  .reduce((n, e) => n + e.transferSize, 0); return [b / s, s];");
        return new double[] {r.get(0).doubleValue(), r.get(1).doubleValue()};
    }

    private static long eventStreamBytes(String base, Duration window) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
        long end = System.nanoTime() + window.toNanos(), n = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = r.body()) {
            while (System.nanoTime() < end) {
                int k = in.read(buf);
                if (k < 0) {
                    break;
                }
                n += k;
            }
        }
        return n;
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private void note(String format, Object... args) {
        String line = String.format(format, args);
        report.add(line);
        System.out.println("console-bench: " + line);
    }
}
