package org.switchboard.media.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** An INVITE over a raw TLS connection to the media server, for the TLS listener's tests. */
final class TlsInvite {

    private TlsInvite() {
    }

    /**
     * The final status line of an INVITE sent over a connection {@code factory} makes to {@code port}, or
     * {@code refused: ...} when the handshake or the connection failed before one (with TLS 1.3 the client may finish
     * its side of the handshake before the server refuses its certificate, so the refusal can show on the first read).
     */
    static String finalStatus(SSLSocketFactory factory, int port) {
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            String branch = "z9hG4bK" + System.nanoTime();
            String invite = "INVITE sip:drachtio@127.0.0.1:" + port + ";transport=tls SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:" + socket.getLocalPort() + ";branch=" + branch + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=a1\r\n"
                    + "To: <sip:drachtio@127.0.0.1>\r\nCall-ID: tls-" + branch + "\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:caller@127.0.0.1:" + socket.getLocalPort() + ";transport=tls>\r\n"
                    + "User-Agent: not-fsmrf\r\nContent-Length: 0\r\n\r\n";
            socket.getOutputStream().write(invite.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return finalStatusLine(socket.getInputStream());
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    private static String finalStatusLine(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("SIP/2.0 ") && !line.startsWith("SIP/2.0 1")) {
                return line;
            }
        }
        return "refused: the connection closed before a final response";
    }
}
