package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.stack.transport.Transport;

/** The frames written to apps about SIP messages. */
class AppFramesTest {

    @Test
    void theTimeOfAFrameIsUtcToTheMicrosecondAsAFormatterWritesIt() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
        for (String at : new String[] {"2026-12-07T00:00:00Z", "2026-12-07T09:05:03.000042Z", "2026-12-07T23:59:59.999999Z",
            "1969-12-31T13:07:58.123456Z", "2026-06-30T12:34:56.7Z"}) {
            Instant instant = Instant.parse(at);
            assertThat(AppFrames.time(instant)).as(at).isEqualTo(formatter.format(instant.atOffset(ZoneOffset.UTC)));
        }
    }

    @Test
    void theUtf8LengthIsCountedWithoutEncoding() {
        for (String s : List.of("", "abc", "é", "€", "😀", "a\u00e9\u20ac\ud83d\ude00")) {
            assertThat(AppFrames.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void theReplyToAnAppsSipFrameSaysWhatWentOutAndWhere() {
        SipMessage bye = SipMessage.parse("BYE sip:b@127.0.0.1 SIP/2.0\r\nCall-ID: f1\r\nCSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n");

        DrachtioFrame sent = AppFrames.sent(DrachtioFrame.of("app-7", "sip", "", ""), bye, Transport.TCP,
                CoreFixture.CALLER, "txn-1", "dialog-1", "");

        assertThat(sent.keyword()).isEqualTo("response");
        assertThat(sent.inReplyTo()).isEqualTo("app-7");
        assertThat(sent.status()).isEqualTo("OK");
        assertThat(sent.tokens().subList(4, 9)).containsExactly("application",
                Integer.toString(AppFrames.text(bye).length()), "tcp", "127.0.0.1", "5070");
        assertThat(sent.tokens().subList(10, 15)).containsExactly("txn-1", "dialog-1", "", "Msg sent:", "");
        assertThat(sent.sipMessage()).contains(AppFrames.text(bye));
    }

    @Test
    void aRefusalCannotBreakTheFrame() {
        CoreFixture fixture = new CoreFixture();
        try (fixture) {
            CoreFixture.App app = fixture.app();
            AppFrames.nok(app.connection, DrachtioFrame.of("app-8", "sip"), "bad | line\r\nbreak");

            DrachtioFrame reply = app.next();
            assertThat(reply.tokens()).containsExactly(reply.id(), "response", "app-8", "NOK", "bad   line  break");
        }
    }
}
