package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium, headless, driven by its chromedriver (both named explicitly, so nothing is downloaded). */
final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new browser whose profile and driver log live in {@code dir}. */
    static WebDriver start(Path dir) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (scripts/install-test-peers installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (scripts/install-test-peers installs it)").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--enable-precise-memory-info", // performance.memory in bytes, not rounded to buckets
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1500,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }
}
