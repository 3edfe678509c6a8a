package org.switchboard.testing.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes test certificates with the JDK's {@code keytool} (EC P-256, SHA-256), so that no private key is ever
 * committed: a test CA per directory, identities it signs (valid, expired, or for another host), and self-signed
 * identities no one trusts. Each identity is written as a PEM certificate chain, a PEM PKCS#8 key and a PKCS#12
 * key store.
 */
public final class TestCertificates {

    /** The password of every key store (and key entry) made here. */
    public static final String PASSWORD = "changeit";

    private static final long KEYTOOL_DEADLINE_SECONDS = 60;
    private static final String CA = "test-ca";

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

    /** The PEM certificate of the directory's test CA (made on first use), the one to trust. */
    public static synchronized Path authority(Path dir) {
        Path p12 = dir.resolve(CA + ".p12");
        Path crt = dir.resolve(CA + ".crt");
        if (!Files.exists(crt)) {
            try {
                Files.createDirectories(dir);
                keytool("-genkeypair", "-alias", CA, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
                        "SHA256withECDSA", "-dname", "CN=Switchboard test CA", "-ext", "bc:c", "-startdate", "-1d",
                        "-validity", "30", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                        "-keypass", PASSWORD);
                keytool("-exportcert", "-rfc", "-alias", CA, "-keystore", p12.toString(), "-storepass", PASSWORD,
                        "-file", crt.toString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot make the test CA: " + e.getMessage(), e);
            }
        }
        return crt;
    }

    /** An identity signed by the test CA, valid now for 127.0.0.1, ::1 and localhost. */
    public static Identity localhost(Path dir, String name) {
        return signed(dir, name, "ip:127.0.0.1,ip:::1,dns:localhost", "-1d", 30);
    }

    /** An identity signed by the test CA for 127.0.0.1 and localhost that expired a day ago. */
    public static Identity expired(Path dir, String name) {
        return signed(dir, name, "ip:127.0.0.1,dns:localhost", "-3d", 2);
    }

    /** An identity signed by the test CA, valid now, but only for {@code host} (a DNS name). */
    public static Identity forHost(Path dir, String name, String host) {
        return signed(dir, name, "dns:" + host, "-1d", 30);
    }

    /** A self-signed identity for 127.0.0.1 and localhost, which only those who trust it exactly will accept. */
    public static Identity selfSigned(Path dir, String name) {
        try {
            Path p12 = generate(dir, name, "ip:127.0.0.1,dns:localhost", "-1d", 30);
            Path crt = dir.resolve(name + ".crt");
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD,
                    "-file", crt.toString());
            return new Identity(crt, writeKey(dir, name, p12), p12);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    private static Identity signed(Path dir, String name, String subjectAltNames, String start, int days) {
        Path ca = authority(dir);
        try {
            Path p12 = generate(dir, name, subjectAltNames, "-1d", 30);
            Path csr = dir.resolve(name + ".csr");
            Path leaf = dir.resolve(name + ".leaf.crt");
            keytool("-certreq", "-alias", name, "-keystore", p12.toString(), "-storepass", PASSWORD, "-file", csr.toString());
            keytool("-gencert", "-rfc", "-alias", CA, "-keystore", dir.resolve(CA + ".p12").toString(), "-storepass",
                    PASSWORD, "-infile", csr.toString(), "-outfile", leaf.toString(), "-ext", "san=" + subjectAltNames,
                    "-startdate", start, "-validity", Integer.toString(days));
            keytool("-importcert", "-noprompt", "-alias", CA, "-file", ca.toString(), "-keystore", p12.toString(),
                    "-storepass", PASSWORD);
            keytool("-importcert", "-alias", name, "-file", leaf.toString(), "-keystore", p12.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD);
            Path chain = dir.resolve(name + ".crt");
            Files.writeString(chain, Files.readString(leaf) + Files.readString(ca));
            return new Identity(chain, writeKey(dir, name, p12), p12);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    private static Path generate(Path dir, String name, String subjectAltNames, String start, int days) throws IOException {
        Files.createDirectories(dir);
        Path p12 = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + name, "-ext", "san=" + subjectAltNames, "-startdate", start, "-validity",
                Integer.toString(days), "-keystore", p12.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return p12;
    }

    private static Path writeKey(Path dir, String name, Path p12) throws IOException, GeneralSecurityException {
        Key pk = KeyStore.getInstance(p12.toFile(), PASSWORD.toCharArray()).getKey(name, PASSWORD.toCharArray());
        Path key = dir.resolve(name + ".key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pk.getEncoded())
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return key;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(KEYTOOL_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within " + KEYTOOL_DEADLINE_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + output.strip());
        }
    }
}
