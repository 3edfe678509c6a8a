package org.switchboard.drachtio.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The client against a real drachtio-server (the C++ reference, from its Docker image): authenticate, routes and
 * ping. Skipped, with JUnit's "Docker is not available" reason, on machines without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealDrachtioServerIT {

    @Container
    private static final GenericContainer<?> DRACHTIO = new GenericContainer<>("drachtio/drachtio-server:0.8.26")
            .withEnv("DRACHTIO_SECRET", "cymru")
            .withExposedPorts(9022)
            .waitingFor(Wait.forListeningPort());

    @Test
    void authenticatesRegistersRoutesAndPings() throws Exception {
        try (DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(DRACHTIO.getMappedPort(9022)).build(), frame -> { }).get(20, TimeUnit.SECONDS)) {
            DrachtioFrame info = client.serverInfo().orElseThrow();
            assertThat(info.token(5)).matches("v\\d+\\.\\d+\\.\\d+.*");
            assertThat(client.route("invite").get(5, TimeUnit.SECONDS).isOk()).isTrue();
            assertThat(client.ping().get(5, TimeUnit.SECONDS).token(4)).isEqualTo("pong");
        }
    }
}
