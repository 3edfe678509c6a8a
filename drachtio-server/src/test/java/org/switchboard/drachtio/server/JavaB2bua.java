package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioListener;
import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * A back-to-back user agent written on the bare Java client, the same call flow drachtio-srf's createB2BUA runs:
 * each INVITE from A becomes an INVITE to {@code target} with A's SDP; B's provisional and final responses go back
 * to A; A's CANCEL cancels B; a BYE on either side ends the other.
 */
final class JavaB2bua implements DrachtioListener, AutoCloseable {

    /** One bridged call. B's Call-ID is derived from A's, so B's responses find it whichever frame comes first. */
    private static final class Call {
        final String aTxn;
        String bTxn;
        String aDialog;
        String bDialog;
        boolean canceled;

        Call(String aTxn) {
            this.aTxn = aTxn;
        }
    }

    private final String target;
    private final Map<String, Call> byBCallId = new ConcurrentHashMap<>();
    private final Map<String, Call> byATxn = new ConcurrentHashMap<>();
    private final Map<String, Call> byDialog = new ConcurrentHashMap<>();
    private volatile DrachtioClient client;

    private JavaB2bua(String target) {
        this.target = target;
    }

    static JavaB2bua connect(InetSocketAddress admin, String target) throws Exception {
        JavaB2bua b2b = new JavaB2bua(target);
        b2b.client = DrachtioClient.connect(DrachtioClientConfig.builder().host(admin.getAddress().getHostAddress())
                .port(admin.getPort()).build(), b2b).get(10, TimeUnit.SECONDS);
        b2b.client.route("invite").get(10, TimeUnit.SECONDS);
        return b2b;
    }

    private static String header(String sip, String name) {
        return sip.replaceAll("(?s).*\\r\\n(?i:" + name + "): *([^\\r\\n]*).*", "$1");
    }

    private static String body(String sip) {
        int split = sip.indexOf("\r\n\r\n");
        return split < 0 ? "" : sip.substring(split + 4);
    }

    @Override
    public void onFrame(DrachtioFrame frame) {
        String sip = frame.sipMessage().orElse("");
        if (!frame.keyword().equals("sip") || sip.isEmpty() || frame.transactionId().equals("unsolicited")) {
            return;
        }
        String txn = frame.transactionId();
        if (sip.startsWith("SIP/2.0 ")) {
            Call call = byBCallId.get(header(sip, "Call-ID"));
            if (call != null) {
                fromB(call, frame, sip);
            }
        } else if (sip.startsWith("INVITE ") && frame.dialogId().isEmpty()) {
            Call call = new Call(txn);
            byATxn.put(txn, call);
            String bCallId = "b2b-" + header(sip, "Call-ID");
            byBCallId.put(bCallId, call);
            client.sendSip("", "", Optional.empty(), "INVITE " + target + " SIP/2.0\r\nCall-ID: " + bCallId
                    + "\r\nContent-Type: application/sdp\r\n\r\n" + body(sip)).thenAccept(reply -> {
                        synchronized (call) {
                            call.bTxn = reply.transactionId();
                            if (call.canceled) {
                                cancelB(call);
                            }
                        }
                    });
        } else if (sip.startsWith("CANCEL ")) {
            Call call = byATxn.get(txn);
            if (call != null) {
                synchronized (call) {
                    call.canceled = true;
                    if (call.bTxn != null) {
                        cancelB(call);
                    }
                }
            }
        } else if (sip.startsWith("BYE ")) {
            client.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n");
            Call call = byDialog.get(frame.dialogId());
            if (call != null) {
                String other = frame.dialogId().equals(call.aDialog) ? call.bDialog : call.aDialog;
                client.sendSip("", other, Optional.empty(), "BYE sip:placeholder SIP/2.0\r\n\r\n");
            }
        }
    }

    private void cancelB(Call call) {
        client.sendSip(call.bTxn, "", Optional.empty(), "CANCEL " + target + " SIP/2.0\r\n\r\n");
    }

    private void fromB(Call call, DrachtioFrame frame, String sip) {
        int status = Integer.parseInt(sip.substring(8, 11));
        if (!header(sip, "CSeq").endsWith("INVITE")) {
            return;
        }
        if (status < 200) {
            client.sendSip(call.aTxn, "", Optional.empty(), "SIP/2.0 " + status + " " + sip.substring(12, sip.indexOf("\r\n"))
                    + "\r\n\r\n");
        } else if (status < 300) {
            call.bDialog = frame.dialogId();
            byDialog.put(call.bDialog, call);
            client.sendSip("", call.bDialog, Optional.empty(), "ACK " + target + " SIP/2.0\r\n\r\n");
            client.sendSip(call.aTxn, "", Optional.empty(), "SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\n"
                    + body(sip)).thenAccept(reply -> {
                        call.aDialog = reply.token(11);
                        byDialog.put(call.aDialog, call);
                    });
        } else if (!call.canceled) {
            client.sendSip(call.aTxn, "", Optional.empty(), "SIP/2.0 " + status + " " + sip.substring(12, sip.indexOf("\r\n"))
                    + "\r\n\r\n");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
