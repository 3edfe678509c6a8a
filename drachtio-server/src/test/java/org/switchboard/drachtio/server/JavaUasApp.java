package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioListener;
import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * A minimal UAS written straight on the Java client: answers each new INVITE with 200 and SDP (or with
 * {@code status} when given), answers every in-dialog request 200. The benchmark runs its {@link #main}.
 */
final class JavaUasApp implements DrachtioListener, AutoCloseable {

    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=switchboard-java-uas\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    private final int status;
    private final String extraHeaders;
    private final List<String> unsolicited = new CopyOnWriteArrayList<>();
    private final LongAdder answered = new LongAdder();
    private final LongAdder inDialog = new LongAdder();
    private final LongAdder canceled = new LongAdder();
    private volatile DrachtioClient client;

    private JavaUasApp(int status, String extraHeaders) {
        this.status = status;
        this.extraHeaders = extraHeaders;
    }

    static JavaUasApp connect(InetSocketAddress admin, int status) throws Exception {
        return connect(admin, status, "");
    }

    /** An app whose 200s to new INVITEs carry {@code extraHeaders} (CRLF-terminated lines). */
    static JavaUasApp connect(InetSocketAddress admin, int status, String extraHeaders, String... moreRoutes)
            throws Exception {
        return connect(DrachtioClientConfig.builder().host(admin.getAddress().getHostAddress()).port(admin.getPort()),
                status, extraHeaders, moreRoutes);
    }

    /** An app connected with {@code config} (its frame limit raised to the embedded server's). */
    static JavaUasApp connect(DrachtioClientConfig.Builder config, int status, String extraHeaders, String... moreRoutes)
            throws Exception {
        JavaUasApp app = new JavaUasApp(status, extraHeaders);
        app.client = DrachtioClient.connect(config.peerFrameLimit(1 << 20).build(), app).get(10, TimeUnit.SECONDS);
        app.client.route("invite").get(10, TimeUnit.SECONDS);
        for (String verb : moreRoutes) {
            app.client.route(verb).get(10, TimeUnit.SECONDS);
        }
        return app;
    }

    @Override
    public void onFrame(DrachtioFrame frame) {
        if (!frame.keyword().equals("sip") || frame.sipMessage().isEmpty()) {
            return;
        }
        String sip = frame.sipMessage().get();
        String method = sip.substring(0, Math.max(0, sip.indexOf(' ')));
        String txnId = frame.transactionId();
        boolean fresh = frame.dialogId().isEmpty();
        if (txnId.equals("unsolicited")) {
            // the server ended the call itself (an unsolicited BYE): never answered
            unsolicited.add(sip.replaceAll("(?s).*Reason: ([^\r\n]*).*", "$1"));
            return;
        }
        switch (method) {
            case "INVITE" -> {
                if (fresh && status == 200) {
                    answered.increment();
                }
                String response = fresh && status != 200 ? "SIP/2.0 " + status + " Nope\r\n\r\n"
                        : "SIP/2.0 200 OK\r\n" + (fresh ? extraHeaders : "") + "Content-Type: application/sdp\r\n\r\n" + SDP;
                if (status != 180 || !fresh) {
                    client.sendSip(txnId, "", Optional.empty(), response);
                } else {
                    client.sendSip(txnId, "", Optional.empty(), "SIP/2.0 180 Ringing\r\n\r\n");
                }
            }
            case "ACK" -> {
            }
            case "CANCEL" -> canceled.increment();
            case "REGISTER" -> client.sendSip(txnId, "", Optional.empty(), "SIP/2.0 200 OK\r\nContact: "
                    + sip.replaceAll("(?s).*\r\nContact: ([^\r\n]*).*", "$1") + "\r\nExpires: 3600\r\n\r\n");
            case "OPTIONS" -> client.sendSip(txnId, "", Optional.empty(),
                    "SIP/2.0 200 OK\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO\r\n\r\n");
            default -> {
                if (!fresh) {
                    inDialog.increment();
                }
                client.sendSip(txnId, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n");
            }
        }
    }

    long answered() {
        return answered.sum();
    }

    long inDialog() {
        return inDialog.sum();
    }

    /** The Reason of each BYE the server sent on its own. */
    List<String> unsolicited() {
        return unsolicited;
    }

    long canceled() {
        return canceled.sum();
    }

    @Override
    public void close() {
        client.close();
    }

    /** {@code JavaUasApp [host:port]}: answers calls until killed. */
    public static void main(String[] args) throws Exception {
        String[] hp = (args.length > 0 ? args[0] : "127.0.0.1:9022").split(":");
        try (JavaUasApp app = connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 200, "")) {
            System.out.println("ready");
            new CountDownLatch(1).await();
        }
    }
}
