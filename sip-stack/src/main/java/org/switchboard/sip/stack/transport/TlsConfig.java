package org.switchboard.sip.stack.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings shared by the TLS and WSS listen points and by outbound TLS and WSS connections; build with
 * {@link #builder()}. The JDK's TLS provider does the work (no OpenSSL).
 *
 * <p>The local identity comes either from PEM files (a certificate chain and an unencrypted or password-protected
 * PKCS#8 private key, the form {@code openssl pkcs8 -topk8} writes) or from a PKCS#12 or JKS key store. Peers are
 * trusted against PEM CA certificates or a trust store, else against the JDK's default CAs.
 */
public final class TlsConfig {

    /** Whether and how a TLS server asks its clients for a certificate. */
    public enum ClientAuth {
        /** Do not ask (the default, as for most SIP servers). */
        NONE,
        /** Ask, and check a certificate when the client sends one. */
        OPTIONAL,
        /** Refuse clients without a trusted certificate. */
        REQUIRE
    }

    /** Default protocol versions. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Default for checking that an outbound peer's certificate names the host connected to. */
    public static final boolean DEFAULT_VERIFY_HOSTNAME = true;

    private final Optional<Path> certificateChain;
    private final Optional<Path> privateKey;
    private final Optional<Path> chain;
    private final Optional<String> keyPassword;
    private final Optional<Path> keyStore;
    private final Optional<String> keyStorePassword;
    private final Optional<Path> trustedCertificates;
    private final Optional<Path> trustStore;
    private final Optional<String> trustStorePassword;
    private final ClientAuth clientAuth;
    private final boolean verifyHostname;
    private final List<String> protocols;
    private final List<String> ciphers;

    private TlsConfig(Builder b) {
        this.certificateChain = Optional.ofNullable(b.certificateChain);
        this.privateKey = Optional.ofNullable(b.privateKey);
        this.chain = Optional.ofNullable(b.chain);
        this.keyPassword = Optional.ofNullable(b.keyPassword);
        this.keyStore = Optional.ofNullable(b.keyStore);
        this.keyStorePassword = Optional.ofNullable(b.keyStorePassword);
        this.trustedCertificates = Optional.ofNullable(b.trustedCertificates);
        this.trustStore = Optional.ofNullable(b.trustStore);
        this.trustStorePassword = Optional.ofNullable(b.trustStorePassword);
        this.clientAuth = b.clientAuth;
        this.verifyHostname = b.verifyHostname;
        this.protocols = List.copyOf(b.protocols);
        this.ciphers = List.copyOf(b.ciphers);
    }

    /** A builder with the defaults: no local identity, the JDK's CAs, no client certificates, hostnames checked. */
    public static Builder builder() {
        return new Builder();
    }

    /** The PEM certificate chain (leaf first), with {@link #privateKey()}. */
    public Optional<Path> certificateChain() {
        return certificateChain;
    }

    /** The PEM PKCS#8 private key of the certificate chain. */
    public Optional<Path> privateKey() {
        return privateKey;
    }

    /** PEM intermediate CA certificates sent after {@link #certificateChain()}'s, when they are kept apart. */
    public Optional<Path> chain() {
        return chain;
    }

    /** The private key's password, for an encrypted PEM key or the key entry of a key store. */
    public Optional<String> keyPassword() {
        return keyPassword;
    }

    /** A PKCS#12 or JKS key store holding the local key and certificate chain. */
    public Optional<Path> keyStore() {
        return keyStore;
    }

    /** The key store's password. */
    public Optional<String> keyStorePassword() {
        return keyStorePassword;
    }

    /** PEM CA certificates that peers' certificates must chain to. */
    public Optional<Path> trustedCertificates() {
        return trustedCertificates;
    }

    /** A trust store of CA certificates that peers' certificates must chain to. */
    public Optional<Path> trustStore() {
        return trustStore;
    }

    /** The trust store's password. */
    public Optional<String> trustStorePassword() {
        return trustStorePassword;
    }

    /** Whether the server side asks clients for certificates. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Whether outbound connections check that the peer's certificate names the host (or IP) connected to. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The TLS protocol versions enabled. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites enabled; empty for the provider's defaults. */
    public List<String> ciphers() {
        return ciphers;
    }

    /** Whether a local identity is configured, which TLS and WSS listen points need. */
    public boolean hasIdentity() {
        return privateKey.isPresent() || keyStore.isPresent();
    }

    /** Builds a {@link TlsConfig}; each setter checks its value, {@link #build()} checks the combination. */
    public static final class Builder {
        private Path certificateChain;
        private Path privateKey;
        private Path chain;
        private String keyPassword;
        private Path keyStore;
        private String keyStorePassword;
        private Path trustedCertificates;
        private Path trustStore;
        private String trustStorePassword;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean verifyHostname = DEFAULT_VERIFY_HOSTNAME;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> ciphers = List.of();

        private Builder() {
        }

        /** The local identity from PEM files: a certificate chain (leaf first) and its PKCS#8 private key. */
        public Builder pem(Path certificateChain, Path privateKey) {
            this.certificateChain = readable(certificateChain, "certificateChain");
            this.privateKey = readable(privateKey, "privateKey");
            return this;
        }

        /** PEM intermediate CA certificates to send after the PEM certificate (drachtio-server's chain file). */
        public Builder chain(Path intermediates) {
            this.chain = readable(intermediates, "chain");
            return this;
        }

        /** The local identity from a PKCS#12 or JKS key store (the type is detected from the content). */
        public Builder keyStore(Path keyStore, String password) {
            this.keyStore = readable(keyStore, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "keyStore password");
            return this;
        }

        /** The password of an encrypted PEM key or of the key store's key entry (default: the store's). */
        public Builder keyPassword(String password) {
            this.keyPassword = Objects.requireNonNull(password, "keyPassword");
            return this;
        }

        /** Trust peers whose certificates chain to these PEM CA certificates (instead of the JDK's CAs). */
        public Builder trustedCertificates(Path pem) {
            this.trustedCertificates = readable(pem, "trustedCertificates");
            return this;
        }

        /** Trust peers whose certificates chain to this trust store's CAs (instead of the JDK's CAs). */
        public Builder trustStore(Path trustStore, String password) {
            this.trustStore = readable(trustStore, "trustStore");
            this.trustStorePassword = Objects.requireNonNull(password, "trustStore password");
            return this;
        }

        /** Whether the server side asks clients for certificates. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /** Whether outbound connections check the peer's certificate against the host connected to. */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** The protocol versions to enable (not empty). */
        public Builder protocols(List<String> protocols) {
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException("protocols must name at least one TLS version");
            }
            this.protocols = List.copyOf(protocols);
            return this;
        }

        /** The cipher suites to enable, in the provider's names; empty for its defaults. */
        public Builder ciphers(List<String> ciphers) {
            this.ciphers = List.copyOf(ciphers);
            return this;
        }

        /** The configuration. */
        public TlsConfig build() {
            if (privateKey != null && keyStore != null) {
                throw new IllegalArgumentException("give the TLS identity either as PEM files or as a key store, not both");
            }
            if (chain != null && privateKey == null) {
                throw new IllegalArgumentException("a certificate chain file goes with a PEM certificate and key");
            }
            if (trustedCertificates != null && trustStore != null) {
                throw new IllegalArgumentException("give trusted CAs either as a PEM file or as a trust store, not both");
            }
            return new TlsConfig(this);
        }

        private static Path readable(Path path, String field) {
            Objects.requireNonNull(path, field);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(field + " file " + path + " is not readable");
            }
            return path;
        }
    }
}
