package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;

/**
 * The frames the server writes to apps about SIP messages (see docs/drachtio.md): the META tokens of a message
 * received or sent, the {@code OK ... Msg sent:} reply to an app's {@code sip} frame, and {@code NOK}. Stateless.
 */
final class AppFrames {

    private AppFrames() {
    }

    /** A {@code sip} frame about a message from the network, with the ids (transaction, dialog, ...) after its META. */
    static DrachtioFrame fromNetwork(IncomingMessage in, SipMessage message, String... ids) {
        String sip = text(message);
        return DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(in, sip), ids)).withSipMessage(sip);
    }

    /** A {@code sip} frame about a message the server sent on its own ({@code unsolicited}, a response relayed). */
    static DrachtioFrame fromServer(List<String> meta, String sip, String... ids) {
        return DrachtioFrame.of(AppConnection.newId(), "sip", concat(meta, ids)).withSipMessage(sip);
    }

    /** A {@code sip} frame carrying a response from {@code from} to the request {@code txnId} an app sent. */
    static DrachtioFrame response(SipMessage response, Transport transport, InetSocketAddress from, String txnId,
                                  String dialogId) {
        String sip = text(response);
        return fromServer(List.of("network", Integer.toString(utf8Length(sip)), proto(transport),
                from.getAddress().getHostAddress(), Integer.toString(from.getPort()), now()), sip, txnId, dialogId, "");
    }

    /** The OK reply to an app's {@code sip} frame: what went out, to where, then {@code ids} and {@code Msg sent:}. */
    static DrachtioFrame sent(DrachtioFrame frame, SipMessage message, Transport transport, InetSocketAddress to,
                              String... ids) {
        String sip = text(message);
        List<String> tokens = new ArrayList<>(List.of(frame.id(), "OK"));
        tokens.addAll(appMeta(sip, transport, to));
        tokens.addAll(List.of(ids));
        tokens.add("Msg sent:");
        tokens.add("");
        return DrachtioFrame.of(AppConnection.newId(), "response", tokens.toArray(String[]::new)).withSipMessage(sip);
    }

    static void nok(AppConnection app, DrachtioFrame frame, String reason) {
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", frame.id(), "NOK",
                reason.replaceAll("[|\r\n]", " ")));
    }

    /** META of a message received; {@code sip} is its text as the frame carries it (serialized once, by the caller). */
    static List<String> networkMeta(IncomingMessage in, String sip) {
        return List.of("network", Integer.toString(utf8Length(sip)), proto(in.transport()),
                in.remote().getAddress().getHostAddress(), Integer.toString(in.remote().getPort()), now());
    }

    /** META of a message sent; {@code sip} is its text as the frame carries it. */
    static List<String> appMeta(String sip, Transport transport, InetSocketAddress to) {
        return List.of("application", Integer.toString(utf8Length(sip)), proto(transport),
                to.getAddress().getHostAddress(), Integer.toString(to.getPort()), now());
    }

    /** The UTF-8 size of a text, without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static String proto(Transport t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    static String now() {
        return time(Instant.now());
    }

    /**
     * {@code HH:mm:ss.SSSSSS} in UTC, the time every frame about a SIP message carries. Written out by hand: a
     * {@code DateTimeFormatter} per frame was among the top costs of a call through the server (about ten frames each).
     */
    static String time(Instant at) {
        long secondOfDay = Math.floorMod(at.getEpochSecond(), 86_400L);
        int micros = at.getNano() / 1000;
        char[] t = new char[15];
        twoDigits(t, 0, (int) (secondOfDay / 3600));
        t[2] = ':';
        twoDigits(t, 3, (int) (secondOfDay / 60 % 60));
        t[5] = ':';
        twoDigits(t, 6, (int) (secondOfDay % 60));
        t[8] = '.';
        for (int i = 14; i > 8; i--, micros /= 10) {
            t[i] = (char) ('0' + micros % 10);
        }
        return new String(t);
    }

    private static void twoDigits(char[] t, int at, int value) {
        t[at] = (char) ('0' + value / 10);
        t[at + 1] = (char) ('0' + value % 10);
    }

    static String[] concat(List<String> head, String... tail) {
        String[] out = new String[head.size() + tail.length];
        for (int i = 0; i < head.size(); i++) {
            out[i] = head.get(i);
        }
        System.arraycopy(tail, 0, out, head.size(), tail.length);
        return out;
    }

    static String text(SipMessage m) {
        return new String(m.toBytes(), StandardCharsets.UTF_8);
    }
}
