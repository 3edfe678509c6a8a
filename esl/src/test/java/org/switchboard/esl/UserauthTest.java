package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.poll.Poll;

/** FreeSWITCH's per-user authentication, {@code userauth user@domain:password}, against a scripted switch. */
class UserauthTest {

    private static final EslListener IGNORE = event -> { };

    @Test
    void authenticatesAsADirectoryUserAndAgainAfterAReconnect() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch(c -> c.equals("userauth 1000@default:s3cret:x@y\n\n") ? "+OK accepted" : "-ERR invalid")) {
            EslClientConfig config = EslClientConfig.builder().port(sw.port()).userauth("1000", "default", "s3cret:x@y")
                    .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200)).build();
            assertThat(config.userauth()).hasValue("1000@default");
            EslClient client = EslClient.connect(config, IGNORE).get(5, TimeUnit.SECONDS);
            assertThat(client.isConnected()).isTrue();
            Socket first = sw.next();
            first.close();
            sw.next();
            assertThat(sw.commands).containsExactly("userauth 1000@default:s3cret:x@y\n\n", "userauth 1000@default:s3cret:x@y\n\n");
            client.close();
        }
    }

    @Test
    void aRefusedUserFailsConnectWithoutRetryingOrShowingThePassword() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch(c -> "-ERR invalid")) {
            EslClientConfig config = EslClientConfig.builder().port(sw.port()).userauth("1000", "default", "wrong")
                    .reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(20)).build();
            assertThatThrownBy(() -> EslClient.connect(config, IGNORE).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(EslException.AuthenticationFailed.class)
                    .hasMessageContaining("refused the user 1000@default").hasMessageNotContaining("wrong");
            // a retry would come 20 ms after the refusal: ten reconnect delays without one
            Poll.holds(Duration.ofMillis(200), "no second userauth", () -> sw.commands.size() == 1);
            assertThat(sw.commands).containsExactly("userauth 1000@default:wrong\n\n");
        }
    }

    @Test
    void theLastOfPasswordAndUserauthWins() {
        EslClientConfig.Builder b = EslClientConfig.builder().host("192.0.2.7").userauth("1000", "default", "pw");
        // a directory user's password is not the switch's stock password, so a remote host is fine
        assertThat(EslClientConfig.builder().host("192.0.2.7").userauth("1000", "default", "ClueCon").build().authCommand())
                .isEqualTo("userauth 1000@default:ClueCon");
        assertThat(b.build().authCommand()).isEqualTo("userauth 1000@default:pw");
        assertThat(b.password("switch-pw").build().authCommand()).isEqualTo("auth switch-pw");
        assertThat(b.build().userauth()).isEmpty();
        assertThatThrownBy(() -> EslClientConfig.builder().host("192.0.2.7").password("ClueCon").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partsTheSwitchWouldSplitOnAreRefused() {
        for (String[] bad : new String[][] {{"", "d"}, {"a@b", "d"}, {"a:b", "d"}, {"a b", "d"}, {"u", ""}, {"u", "d:1"}, {"u", "d\n"}}) {
            assertThatThrownBy(() -> EslClientConfig.builder().userauth(bad[0], bad[1], "pw"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> EslClientConfig.builder().userauth("u", "d", "pw\nexit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("userauth password holds a line break");
        assertThatThrownBy(() -> EslClientConfig.builder().password("pw\r\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesAboutAuthenticationCommandsNeverHoldThePassword() {
        assertThat(EslSession.describe("userauth 1000@default:s3cret")).isEqualTo("userauth 1000@default:****");
        assertThat(EslSession.describe("auth ClueCon")).isEqualTo("auth ****");
        assertThat(EslSession.describe("api status")).isEqualTo("api status");
    }
}
