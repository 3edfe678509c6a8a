package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The remote adapter against a running container that refuses it: a wrong token is reported with the URL and the
 * 401 (and the token is in no message), and so is an address where no container listens.
 */
@ExtendWith(RunningSwitchboard.class)
class RefusedAccessIT {

    private static final String WRONG = "not-the-token-of-the-running-container";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private static String admin() {
        return System.getProperty("switchboard.remote.admin");
    }

    @Test
    void aWrongTokenFailsTheStartWithTheUrlAnd401() {
        RemoteSwitchboardContainer remote = new RemoteSwitchboardContainer();
        remote.setup(configuration(admin(), WRONG));

        assertThatThrownBy(remote::start).isInstanceOf(LifecycleException.class)
                .hasMessage("the Switchboard container at " + admin() + " cannot be used: GET " + admin() + "/api/deployments"
                        + " answered HTTP 401 (the admin token was refused: check token or tokenFile in arquillian.xml):"
                        + " the admin token is required")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(WRONG));
    }

    @Test
    void anUploadWithAWrongTokenIsRefusedWith401AndWritesNothing() {
        AdminApi api = new AdminApi(URI.create(admin()), WRONG, WITHIN);

        assertThatThrownBy(() -> api.deploy("sneaky.war", new byte[4 << 20])).isInstanceOf(AdminApi.Failure.class)
                .hasMessageStartingWith("PUT " + admin() + "/api/deployments/sneaky.war answered HTTP 401")
                .satisfies(e -> assertThat(((AdminApi.Failure) e).status()).isEqualTo(401))
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(WRONG));
        assertThat(RunningSwitchboard.container.deployer().folder().resolve("sneaky.war")).doesNotExist();
    }

    @Test
    void theRightTokenIsTaken() throws Exception {
        AdminApi api = new AdminApi(URI.create(admin()), RunningSwitchboard.TOKEN, WITHIN);

        assertThat(api.activeDeployments()).isEmpty();
    }

    @Test
    void noContainerAtTheAddressIsSaidSo() throws IOException {
        String nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = "http://127.0.0.1:" + s.getLocalPort(); // closed again: nothing listens there
        }
        RemoteSwitchboardContainer remote = new RemoteSwitchboardContainer();
        remote.setup(configuration(nobody, RunningSwitchboard.TOKEN));

        assertThatThrownBy(remote::start).isInstanceOf(LifecycleException.class)
                .hasMessageContaining("GET " + nobody + "/api/deployments: cannot connect")
                .hasMessageContaining("is ./switchboard run running with its admin listener (admin.listen) at " + nobody + "?");
    }

    private static RemoteConfiguration configuration(String adminUrl, String token) {
        RemoteConfiguration c = new RemoteConfiguration();
        c.setAdminUrl(adminUrl);
        c.setToken(token);
        c.setSipAddress(System.getProperty("switchboard.remote.sip"));
        c.validate();
        return c;
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
