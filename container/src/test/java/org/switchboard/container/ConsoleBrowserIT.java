package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The console in a real browser: Debian's chromium, headless, driven by its chromedriver (both named explicitly, so
 * nothing is downloaded). It logs in, watches sipp's calls come and go, opens a call's ladder and reads a message, and
 * hangs a call up from the console; then, with two callers in the conference sample's room on the embedded media server,
 * it reads the room's members with their calls, the channels and the media clock's chart. Screenshots of the overview,
 * a ladder and the media view go to {@code target/console-screenshots} (docs/operations.md shows copies of them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the first test counts the calls it made among the ended ones
class ConsoleBrowserIT {

    private static final String TOKEN = "admin-token-for-the-browser-test";
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path dir;
    static int sipPort;
    static Container container;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"));
        Files.copy(Path.of("target/samples/sample-conference.war"), deployments.resolve("conference.war"));
        sipPort = FreePorts.udp();
        container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "admin.token", TOKEN,
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "media.mode", "embedded")));
        assertThat(Poll.until(Duration.ofSeconds(20), () -> container.deployer().deployments().size() == 2)).isTrue();
        base = "http://127.0.0.1:" + container.admin().orElseThrow().port();

        browser = HeadlessChromium.start(dir);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (container != null) {
            container.close();
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
    }

    @Test
    @Order(1)
    void theConsoleShowsCallsTheirLaddersAndHangsUp() throws Exception {
        browser.get(base + "/");
        assertThat(browser.getPageSource()).contains("needs the admin token"); // no cookie yet
        browser.get(base + "/?token=" + TOKEN);
        waiting().until(ExpectedConditions.urlToBe(base + "/"));
        waiting().until(ExpectedConditions.attributeToBe(By.id("live"), "class", "live on")); // the event stream is up

        // a call sipp ends with BYE: its ladder among the recently ended calls
        Sipp.Result first = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0", "-s", "uas",
                "-m", "1", "-d", "200").deadline(Duration.ofSeconds(40)).run();
        assertThat(first.successfulCalls()).as(first.describe()).isEqualTo(1);
        click(By.cssSelector("input[name=which][value=ended]"));
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls tbody tr"), 1));
        click(By.cssSelector("#calls tbody tr"));
        waiting().until(d -> arrows().contains("BYE") && arrows().lastIndexOf("200 OK") > arrows().indexOf("BYE"));
        assertThat(arrows()).containsSubsequence("INVITE", "100 Trying", "200 OK", "ACK", "BYE", "200 OK");
        click(By.cssSelector("#ladder g.arrow"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("INVITE sip:uas@127.0.0.1").contains("Call-ID:");

        // three calls up, until the far end hangs up: the overview, then one hung up from the console
        Sipp.Running callers = Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml")).target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "3", "-r", "10").deadline(Duration.ofSeconds(90)).start();
        click(By.cssSelector("input[name=which][value=live]"));
        waiting().until(d -> d.findElements(By.cssSelector("#calls tbody td.state-confirmed")).size() == 3);
        click(By.cssSelector("#calls tbody tr"));
        waiting().until(d -> arrows().contains("ACK"));
        screenshot("console-overview.png");

        String callId = browser.findElement(By.id("ladder-title")).getText();
        click(By.cssSelector("#calls tbody tr.open button.hangup"));
        waiting().until(d -> arrows().contains("BYE") && arrows().lastIndexOf("200 OK") > arrows().indexOf("BYE"));
        assertThat(arrows()).containsSubsequence("INVITE", "100 Trying", "200 OK", "ACK", "BYE", "200 OK");
        click(By.cssSelector("#ladder g.arrow[data-label=BYE]"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("BYE sip:").contains("Reason:");
        waiting().until(d -> d.findElements(By.cssSelector("#calls tbody td.state-confirmed")).size() == 2);
        assertThat(container.sip().callsInProgress()).noneMatch(c -> c.callId().equals(callId));
        screenshot("console-ladder.png");

        for (var call : container.sip().callsInProgress()) {
            container.sip().hangUp(call.callId(), "test over");
        }
        Sipp.Result rest = callers.await();
        assertThat(rest.successfulCalls()).as(rest.describe()).isEqualTo(3);

        click(By.cssSelector("nav a[data-view=deployments]"));
        waiting().until(d -> d.findElements(By.cssSelector("#deployments tbody tr")).size() == 2);
        assertThat(browser.findElement(By.id("deployments")).getText()).contains("uas").contains("conference").contains("active");
        click(By.cssSelector("nav a[data-view=media]"));
        waiting().until(d -> d.findElements(By.cssSelector("#media tbody tr")).size() == 1);
        click(By.cssSelector("nav a[data-view=settings]"));
        waiting().until(d -> d.findElements(By.cssSelector("#settings tbody tr")).size() > 10);
        assertThat(browser.findElement(By.id("settings")).getText()).contains("admin.token ***").doesNotContain(TOKEN);
    }

    @Test
    @Order(2)
    void theMediaViewShowsTheConferenceWithItsCallersCallsAndTheMediaClockIsCharted() throws Exception {
        browser.get(base + "/");
        waiting().until(ExpectedConditions.attributeToBe(By.id("live"), "class", "live on"));
        Sipp.Running first = conferenceCaller(440);
        Sipp.Running second = conferenceCaller(1200);
        click(By.cssSelector("nav a[data-view=media]"));

        // the room: its control leg and the two callers, each caller with the call the container holds for it
        waiting().until(d -> memberCalls().size() == 2);
        List<String> calls = container.sip().callsInProgress().stream().map(c -> c.callId()).toList();
        assertThat(memberCalls()).allSatisfy(callId -> assertThat(calls).contains(callId));
        assertThat(browser.findElements(By.cssSelector(".conference"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector(".conference h3")).getText()).startsWith("demo on 127.0.0.1:")
                .contains("3 members");
        List<WebElement> members = browser.findElements(By.cssSelector(".conference tbody tr"));
        assertThat(members).hasSize(3);
        assertThat(members).filteredOn(m -> m.getText().contains("control leg")).singleElement()
                .satisfies(m -> assertThat(m.findElement(By.cssSelector("td.muted")).getText()).isEqualTo("muted"));
        assertThat(members).filteredOn(m -> m.getText().contains("conference#")).hasSize(2)
                .allSatisfy(m -> assertThat(m.findElement(By.cssSelector("td.deaf")).getText()).isEmpty());
        // their voices are steady tones: the switch hears them talk
        waiting().until(d -> !d.findElements(By.cssSelector(".conference td.talking")).isEmpty());
        // every channel listed: the control leg and the two callers' endpoints
        waiting().until(d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 3);
        assertThat(callLinks("#channels")).containsExactlyInAnyOrderElementsOf(memberCalls());

        // the media clock of the embedded server, charted each second while the callers hear the room
        // ten seconds of it for the screenshot
        waiting().until(d -> Integer.parseInt(d.findElement(By.id("chart-lateness")).getAttribute("data-points")) >= 10);
        assertThat(browser.findElement(By.id("n-lateness")).getText()).endsWith(" ms");
        assertThat(browser.findElements(By.cssSelector("#chart-lateness polyline")).stream()
                .map(l -> l.getAttribute("points").split(" ").length)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        waiting().until(d -> d.findElement(By.cssSelector("#media tbody tr")).getText().contains("packets in the last second"));
        screenshot("console-media.png");

        // a member's call opens its ladder, where its media endpoint shows on the media column
        String callId = memberCalls().get(0);
        click(By.cssSelector(".conference a.call-link[data-call-id='" + callId + "']"));
        waiting().until(ExpectedConditions.textToBe(By.id("ladder-title"), callId));
        waiting().until(d -> !d.findElements(By.cssSelector("#ladder g.media[data-label='endpoint created']")).isEmpty());

        for (Sipp.Running caller : List.of(first, second)) {
            Sipp.Result r = caller.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        }
        click(By.cssSelector("nav a[data-view=media]"));
        waiting().until(d -> d.findElements(By.cssSelector(".conference")).isEmpty()
                && d.findElements(By.cssSelector("#channels tbody tr")).isEmpty());
        assertThat(browser.findElement(By.id("conferences-info")).getText()).isEqualTo("none");
    }

    /** A caller of the conference sample's room {@code demo} whose voice is {@code freq} Hz; it talks for 30 s. */
    private static Sipp.Running conferenceCaller(double freq) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("caller-" + (int) freq));
        TonePcap.write(folder.resolve("voice.pcap"), freq, 30);
        return Sipp.scenario(MediaSamplesIT.resource("conf-caller.xml")).runIn(folder).target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-mp", Integer.toString(FreePorts.udp()), "-s", "conf-demo",
                        "-m", "1")
                .deadline(Duration.ofSeconds(60)).start();
    }

    /** The Call-IDs the conference view links its members to. */
    private static List<String> memberCalls() {
        return callLinks(".conference");
    }

    /** The Call-IDs the rows under {@code selector} link to, read in one go (rows of no call link to none). */
    @SuppressWarnings("unchecked")
    private static List<String> callLinks(String selector) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                + "arguments[0] + ' a.call-link')).map(a => a.dataset.callId).filter(id => id);", selector);
    }

    /** The ladder's SIP arrows, top to bottom, read in one go (the console redraws the ladder as messages come). */
    @SuppressWarnings("unchecked")
    private static List<String> arrows() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
                + "'#ladder g.arrow:not(.media)')).map(a => a.getAttribute('data-label'));");
    }

    /** Clicks what {@code locator} finds, again when the console redrew it in between. */
    private static void click(By locator) {
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
