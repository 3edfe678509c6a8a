package org.switchboard.drachtio.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;

/** SIP text of the caller's side for the unit tests (LF line ends; the fixture makes them CRLF). */
final class Sip {

    private Sip() {
    }

    static String invite(String callId) {
        return """
                INVITE sip:service@127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-%s
                Max-Forwards: 70
                From: <sip:caller@127.0.0.1:5070>;tag=caller-%s
                To: <sip:service@127.0.0.1:5060>
                Call-ID: %s
                CSeq: 1 INVITE
                Contact: <sip:caller@127.0.0.1:5070>
                Content-Length: 0

                """.formatted(callId, callId, callId);
    }

    /** A request of the caller in the dialog {@code callId} whose UAS tag is {@code toTag}. */
    static String inDialog(String method, String callId, String toTag, int cseq) {
        return """
                %s sip:service@127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-%s-%d
                Max-Forwards: 70
                From: <sip:caller@127.0.0.1:5070>;tag=caller-%s
                To: <sip:service@127.0.0.1:5060>;tag=%s
                Call-ID: %s
                CSeq: %d %s
                Content-Length: 0

                """.formatted(method, callId, cseq, callId, toTag, callId, cseq, method);
    }

    /** The caller's CANCEL of {@link #invite}. */
    static String cancel(String callId) {
        return """
                CANCEL sip:service@127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-%s
                Max-Forwards: 70
                From: <sip:caller@127.0.0.1:5070>;tag=caller-%s
                To: <sip:service@127.0.0.1:5060>
                Call-ID: %s
                CSeq: 1 CANCEL
                Content-Length: 0

                """.formatted(callId, callId, callId);
    }

    /** What an app writes to answer a request. */
    static String response(int status, String reason, String... headerLines) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + status + " " + reason + "\n");
        for (String line : headerLines) {
            b.append(line).append('\n');
        }
        return b.append("Content-Length: 0\n\n").toString();
    }

    /** One SIP message read from a stream (a test peer on a plain socket). */
    static SipMessage read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended inside a message: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        SipMessage message = SipMessage.parse(head.toByteArray());
        in.readNBytes(message.headers().first(HeaderNames.CONTENT_LENGTH).map(String::trim).map(Integer::parseInt).orElse(0));
        return message;
    }
}
