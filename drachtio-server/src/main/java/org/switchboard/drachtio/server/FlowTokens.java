package org.switchboard.drachtio.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * RFC 5626 flow tokens: the user part this server writes into its Record-Route (or Path) URI when the request it
 * proxies came over a connection it cannot open again itself, so that requests coming back along that route go down
 * the same connection. That is every WebSocket connection (RFC 7118: the client behind it has no address of its own)
 * and a TCP or TLS connection whose client asks for it with an {@code ob} Contact (RFC 5626: it sits behind NAT).
 *
 * <p>A token names the transport and the client's address and port, and carries an HMAC under a key made when the
 * server starts, so a token is only honoured by the server that wrote it and cannot be forged to make it send
 * somewhere else. Immutable; any thread.
 */
final class FlowTokens {

    private static final int MAC_BYTES = 10;
    private static final Transport[] TRANSPORTS = Transport.values();

    private final SecretKeySpec key;

    private FlowTokens(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Tokens under a fresh random key. */
    static FlowTokens withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new FlowTokens(key);
    }

    /**
     * The token for the connection {@code request} came over, when requests back to its sender must take that
     * connection; empty for UDP, and for a TCP or TLS client that did not ask for it.
     */
    Optional<String> forArrival(IncomingMessage incoming, SipRequest request) {
        Transport t = incoming.transport();
        boolean wanted = t == Transport.WS || t == Transport.WSS
                || ((t == Transport.TCP || t == Transport.TLS) && asksForOutbound(request));
        return wanted ? Optional.of(token(new Destination(t, incoming.remote()))) : Optional.empty();
    }

    private static boolean asksForOutbound(SipRequest request) {
        try {
            return request.contacts().stream().map(NameAddress::uri)
                    .anyMatch(u -> u instanceof SipUri sip && sip.parameters().contains("ob"));
        } catch (SipParseException e) {
            return false;
        }
    }

    /** The token of a flow: transport, address and port, then the MAC, in URL-safe base64 (valid in a URI's user part). */
    String token(Destination flow) {
        byte[] address = flow.address().getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(2 + address.length + 2 + MAC_BYTES);
        b.put((byte) flow.transport().ordinal()).put((byte) address.length).put(address)
                .putShort((short) flow.address().getPort());
        b.put(mac(Arrays.copyOf(b.array(), b.position())));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The flow a Route URI's user part names, when it is a token this server wrote; empty otherwise. */
    Optional<Destination> flow(Uri route) {
        if (!(route instanceof SipUri sip) || sip.user().isEmpty()) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sip.user().get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length < 2) {
            return Optional.empty();
        }
        int length = raw[1];
        int body = 2 + length + 2;
        if ((length != 4 && length != 16) || raw.length != body + MAC_BYTES || raw[0] < 0 || raw[0] >= TRANSPORTS.length
                || !MessageDigest.isEqual(mac(Arrays.copyOf(raw, body)), Arrays.copyOfRange(raw, body, raw.length))) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByAddress(Arrays.copyOfRange(raw, 2, 2 + length));
            int port = ((raw[body - 2] & 0xff) << 8) | (raw[body - 1] & 0xff);
            return Optional.of(new Destination(TRANSPORTS[raw[0]], new InetSocketAddress(address, port)));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not reached: the length was checked
        }
    }

    /** Whether {@code incoming} came over {@code flow} itself (the client's own request going the other way). */
    static boolean cameOver(IncomingMessage incoming, Destination flow) {
        return incoming.transport() == flow.transport() && incoming.remote().equals(flow.address());
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(data), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
