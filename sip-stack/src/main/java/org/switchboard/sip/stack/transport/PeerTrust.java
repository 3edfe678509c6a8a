package org.switchboard.sip.stack.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of a {@link TlsConfig} that asks more than the JDK's default one: a limit on the intermediate CA
 * certificates of a peer's chain ({@link TlsConfig#verifyDepth()}), and the names a client certificate must hold one
 * of ({@link TlsConfig#acceptedClientNames()}). A refusal fails the handshake with a {@link CertificateException}
 * saying why, which the transport logs and counts as every refused handshake.
 */
final class PeerTrust {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[?[0-9a-f:.]*:[0-9a-f:.]*\\]?");

    private PeerTrust() {
    }

    /** Whether {@code config} asks for checks of this class (else the JDK's trust manager does all). */
    static boolean needed(TlsConfig config) {
        return config.verifyDepth().isPresent() || !config.acceptedClientNames().isEmpty();
    }

    /** The trust manager over the configuration's trusted CAs (a PEM file or a trust store). */
    static TrustManager of(TlsConfig config, KeyStore trustStoreIfAny) throws IOException, GeneralSecurityException {
        KeyStore anchors = trustStoreIfAny != null ? trustStoreIfAny : pemAnchors(config.trustedCertificates().orElseThrow());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager jdk) {
                return new Checked(jdk, config.verifyDepth(), config.acceptedClientNames());
            }
        }
        throw new GeneralSecurityException("the JDK gave no X.509 trust manager");
    }

    /** A name as {@link TlsConfig#acceptedClientNames()} compares it: lower case, without a SIP URI scheme. */
    static String normalName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        n = n.startsWith("sip:") ? n.substring(4) : n.startsWith("sips:") ? n.substring(5) : n;
        if (IP_LITERAL.matcher(n).matches()) {
            try {
                // one spelling per address (the JDK writes a certificate's ::1 as 0:0:0:0:0:0:0:1); a literal is not looked up
                return InetAddress.getByName(n.replaceAll("^\\[|\\]$", "")).getHostAddress();
            } catch (UnknownHostException e) {
                return n;
            }
        }
        return n;
    }

    /** The names a certificate holds: its subjectAltName DNS, IP and URI entries and its subject's common name. */
    static List<String> names(X509Certificate certificate) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        if (certificate.getSubjectAlternativeNames() != null) {
            for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                int type = (Integer) entry.get(0);
                if ((type == SAN_DNS || type == SAN_URI || type == SAN_IP) && entry.get(1) instanceof String value) {
                    names.add(normalName(value));
                }
            }
        }
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(normalName(String.valueOf(rdn.getValue())));
                }
            }
        } catch (InvalidNameException e) {
            throw new CertificateParsingException("unreadable subject name: " + e.getMessage(), e);
        }
        return names;
    }

    private static KeyStore pemAnchors(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            if (i == 0) {
                throw new CertificateException(pem + " holds no PEM certificate");
            }
        }
        return store;
    }

    /**
     * The JDK's checks, then the depth of the chain the peer sent and, for a client, its certificate's names. (The
     * JDK's validator does not apply a builder's path length to a chain that reaches a trust anchor as sent, so the
     * depth is counted here: the certificates after the peer's own that are not trusted CAs themselves.)
     */
    private static final class Checked extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager jdk;
        private final OptionalInt depth;
        private final Set<String> accepted;
        private final Set<X509Certificate> anchors;

        Checked(X509ExtendedTrustManager jdk, OptionalInt depth, Set<String> accepted) {
            this.jdk = jdk;
            this.depth = depth;
            this.accepted = accepted;
            this.anchors = new HashSet<>(Arrays.asList(jdk.getAcceptedIssuers()));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            jdk.checkClientTrusted(chain, authType, socket);
            client(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            jdk.checkClientTrusted(chain, authType, engine);
            client(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkClientTrusted(chain, authType);
            client(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            jdk.checkServerTrusted(chain, authType, socket);
            deep(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            jdk.checkServerTrusted(chain, authType, engine);
            deep(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkServerTrusted(chain, authType);
            deep(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return jdk.getAcceptedIssuers();
        }

        private void client(X509Certificate[] chain) throws CertificateException {
            deep(chain);
            if (accepted.isEmpty()) {
                return;
            }
            List<String> names = names(chain[0]);
            if (names.stream().noneMatch(accepted::contains)) {
                throw new CertificateException("client certificate names none of the accepted subjects " + accepted
                        + " (it names " + names + ")");
            }
        }

        private void deep(X509Certificate[] chain) throws CertificateException {
            if (depth.isEmpty()) {
                return;
            }
            long intermediates = Arrays.stream(chain).skip(1).filter(c -> !anchors.contains(c)).count();
            if (intermediates > depth.getAsInt()) {
                throw new CertificateException("certificate chain too deep: " + intermediates
                        + " intermediate CA certificates, at most " + depth.getAsInt() + " accepted (the verify depth)");
            }
        }
    }
}
