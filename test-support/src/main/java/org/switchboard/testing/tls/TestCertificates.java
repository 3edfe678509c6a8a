package org.switchboard.testing.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes test certificates in process (EC P-256, SHA-256), so that no private key is ever committed: a test CA per
 * directory, identities it signs (valid, expired, or for another host), and self-signed identities no one trusts.
 * Each identity is written as a PEM certificate chain, a PEM PKCS#8 key and a PKCS#12 key store; the store of an
 * identity the CA signed holds the CA's certificate as a trusted entry too.
 */
public final class TestCertificates {

    /** The password of every key store (and key entry) made here. */
    public static final String PASSWORD = "changeit";

    private static final String CA = "test-ca";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /**
     * A TLS identity on disk.
     *
     * @param certificate the PEM certificate chain, leaf first
     * @param privateKey the PEM PKCS#8 private key, unencrypted
     * @param keyStore a PKCS#12 store with the key and chain, password {@link #PASSWORD}
     */
    public record Identity(Path certificate, Path privateKey, Path keyStore) {
    }

    // a CA's key and certificate, kept in the directory's CA key store
    private record Issuer(PrivateKey key, X509Certificate certificate) {
    }

    /** The PEM certificate of the directory's test CA (made on first use), the one to trust. */
    public static Path authority(Path dir) {
        issuer(dir);
        return dir.resolve(CA + ".crt");
    }

    /** An identity signed by the test CA, valid now for 127.0.0.1, ::1 and localhost. */
    public static Identity localhost(Path dir, String name) {
        return signed(dir, name, List.of("ip:127.0.0.1", "ip:::1", "dns:localhost"), Duration.ofDays(-1), Duration.ofDays(30));
    }

    /** An identity signed by the test CA for 127.0.0.1 and localhost that expired a day ago. */
    public static Identity expired(Path dir, String name) {
        return signed(dir, name, List.of("ip:127.0.0.1", "dns:localhost"), Duration.ofDays(-3), Duration.ofDays(2));
    }

    /** An identity signed by the test CA, valid now, but only for {@code host} (a DNS name). */
    public static Identity forHost(Path dir, String name, String host) {
        return signed(dir, name, List.of("dns:" + host), Duration.ofDays(-1), Duration.ofDays(30));
    }

    /**
     * An identity valid now for 127.0.0.1, ::1 and localhost, signed by an intermediate CA that the test CA signs: its
     * chain is the certificate, the intermediate's and the test CA's, for checks of a chain's depth.
     */
    public static Identity throughIntermediate(Path dir, String name) {
        Issuer ca = issuer(dir);
        try {
            KeyPair intermediateKeys = keyPair();
            X509Certificate intermediate = certificate(new X500Name("CN=" + name + " intermediate CA"), intermediateKeys,
                    ca, List.of(), Duration.ofDays(-1), Duration.ofDays(30));
            KeyPair keys = keyPair();
            X509Certificate cert = certificate(new X500Name("CN=" + name), keys,
                    new Issuer(intermediateKeys.getPrivate(), intermediate),
                    List.of("ip:127.0.0.1", "ip:::1", "dns:localhost"), Duration.ofDays(-1), Duration.ofDays(30));
            return write(dir, name, keys.getPrivate(), List.of(cert, intermediate, ca.certificate()));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    /** A TLS client's socket factory that trusts the directory's test CA and nothing else, presenting no certificate. */
    public static SSLSocketFactory trustingClient(Path dir) {
        try (InputStream ca = Files.newInputStream(authority(dir))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the test CA of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A self-signed identity for 127.0.0.1 and localhost, which only those who trust it exactly will accept. */
    public static Identity selfSigned(Path dir, String name) {
        try {
            KeyPair keys = keyPair();
            X509Certificate cert = certificate(new X500Name("CN=" + name), keys, null,
                    List.of("ip:127.0.0.1", "dns:localhost"), Duration.ofDays(-1), Duration.ofDays(30));
            return write(dir, name, keys.getPrivate(), List.of(cert));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    private static Identity signed(Path dir, String name, List<String> altNames, Duration start, Duration validity) {
        Issuer ca = issuer(dir);
        try {
            KeyPair keys = keyPair();
            X509Certificate cert = certificate(new X500Name("CN=" + name), keys, ca, altNames, start, validity);
            return write(dir, name, keys.getPrivate(), List.of(cert, ca.certificate()));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    private static synchronized Issuer issuer(Path dir) {
        Path p12 = dir.resolve(CA + ".p12");
        try {
            if (Files.exists(p12)) {
                KeyStore store = KeyStore.getInstance(p12.toFile(), PASSWORD.toCharArray());
                return new Issuer((PrivateKey) store.getKey(CA, PASSWORD.toCharArray()), (X509Certificate) store.getCertificate(CA));
            }
            KeyPair keys = keyPair();
            X509Certificate cert = certificate(new X500Name("CN=Switchboard test CA"), keys, null, List.of(),
                    Duration.ofDays(-1), Duration.ofDays(30));
            write(dir, CA, keys.getPrivate(), List.of(cert));
            return new Issuer(keys.getPrivate(), cert);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /**
     * A certificate for {@code keys}, signed by {@code issuer} or, when null, by itself; one without alternative names
     * is a CA's.
     */
    private static X509Certificate certificate(X500Name subject, KeyPair keys, Issuer issuer, List<String> altNames,
                                               Duration start, Duration validity)
            throws CertIOException, OperatorCreationException, GeneralSecurityException {
        Instant from = Instant.now().plus(start);
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM).abs(),
                Date.from(from), Date.from(from.plus(validity)), subject, keys.getPublic());
        if (altNames.isEmpty()) { // the CAs: the test CA and intermediates
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (!altNames.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String n : altNames) {
                names.add(n.startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, n.substring(3))
                        : new GeneralName(GeneralName.dNSName, n.substring(4)));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.key();
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static Identity write(Path dir, String name, PrivateKey key, List<X509Certificate> chain)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path p12 = dir.resolve(name + ".p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(name, key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
        if (chain.size() > 1) {
            store.setCertificateEntry(CA, chain.get(chain.size() - 1)); // so that the store serves as a trust store too
        }
        try (OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, PASSWORD.toCharArray());
        }
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            pem.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Path crt = dir.resolve(name + ".crt");
        Files.writeString(crt, pem, StandardCharsets.US_ASCII);
        Path pk = dir.resolve(name + ".key");
        Files.writeString(pk, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Identity(crt, pk, p12);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
