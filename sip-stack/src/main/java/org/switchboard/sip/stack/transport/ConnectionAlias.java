package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.switchboard.sip.message.Via;

/**
 * RFC 5923 connection reuse: a TLS client that puts {@code alias} in its Via lets requests for its sent-by address
 * travel back over the connection it opened. Only honoured when the client proved with a certificate we verified
 * (client authentication) that it is the sent-by host, as the RFC requires, and only for an IP-literal sent-by (a
 * name would need a DNS lookup on the I/O thread).
 */
final class ConnectionAlias {

    // subjectAltName types (RFC 5280): dNSName and iPAddress
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private ConnectionAlias() {
    }

    /** The sent-by address {@code ch} may stand for, when {@code via} asks for it and the client's certificate allows. */
    static Optional<InetSocketAddress> of(Channel ch, Via via) {
        if (!via.parameters().contains("alias")) {
            return Optional.empty();
        }
        Optional<InetAddress> host = Destination.ipLiteral(via.host());
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (host.isEmpty() || ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf && names(leaf, host.get())) {
                return Optional.of(new InetSocketAddress(host.get(), via.port().orElse(Transport.TLS.defaultPort())));
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: the alias cannot be trusted
        }
        return Optional.empty();
    }

    private static boolean names(X509Certificate certificate, InetAddress address) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                String value = (String) name.get(1);
                if (type == SAN_IP && Destination.ipLiteral(value).filter(address::equals).isPresent()) {
                    return true;
                }
                if (type == SAN_DNS && value.equalsIgnoreCase(address.getHostAddress())) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
