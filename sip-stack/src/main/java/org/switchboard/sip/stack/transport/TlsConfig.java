package org.switchboard.sip.stack.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * TLS settings shared by the TLS and WSS listen points and by outbound TLS and WSS connections; build with
 * {@link #builder()}. The JDK's TLS provider does the work (no OpenSSL).
 *
 * <p>The local identity comes either from PEM files (a certificate chain and an unencrypted or password-protected
 * PKCS#8 private key, the form {@code openssl pkcs8 -topk8} writes) or from a PKCS#12 or JKS key store. Peers are
 * trusted against PEM CA certificates or a trust store, else against the JDK's default CAs.
 *
 * <p>A server that answers for several host names can hold one more identity per name ({@link Builder#sniIdentity}):
 * a client that names one of them in its TLS server name indication (RFC 6066) gets that certificate, any other
 * client the default identity.
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

    /**
     * A PEM identity: a certificate chain (leaf first) and its unencrypted PKCS#8 private key.
     *
     * @param certificateChain the PEM certificate chain, leaf first
     * @param privateKey the PEM PKCS#8 private key
     */
    public record PemIdentity(Path certificateChain, Path privateKey) {
        /** Checks that both files are readable. */
        public PemIdentity {
            Builder.readable(certificateChain, "certificateChain");
            Builder.readable(privateKey, "privateKey");
        }
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
    private final Map<String, PemIdentity> sniIdentities;
    private final OptionalInt verifyDepth;
    private final Set<String> acceptedClientNames;

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
        this.sniIdentities = Map.copyOf(b.sniIdentities);
        this.verifyDepth = b.verifyDepth;
        this.acceptedClientNames = Set.copyOf(b.acceptedClientNames);
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

    /**
     * The identities served by SNI host name (lower case; {@code *.example.com} covers one label under
     * example.com); a client that sends none of these names gets the default identity.
     */
    public Map<String, PemIdentity> sniIdentities() {
        return sniIdentities;
    }

    /**
     * The most intermediate CA certificates a peer's chain may hold between its certificate and a trusted CA (OpenSSL's
     * verify depth); empty for no limit of ours.
     */
    public OptionalInt verifyDepth() {
        return verifyDepth;
    }

    /**
     * The names a client certificate must hold one of, when not empty (lower case, without a {@code sip:} or
     * {@code sips:} scheme): its subjectAltName DNS, IP address or URI entries, or its subject's common name.
     */
    public Set<String> acceptedClientNames() {
        return acceptedClientNames;
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
        private final Map<String, PemIdentity> sniIdentities = new LinkedHashMap<>();
        private OptionalInt verifyDepth = OptionalInt.empty();
        private Set<String> acceptedClientNames = Set.of();

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

        /**
         * Peers' chains may hold at most {@code intermediates} CA certificates between their certificate and a
         * trusted CA, which must then be given ({@link #trustedCertificates} or {@link #trustStore}).
         */
        public Builder verifyDepth(int intermediates) {
            if (intermediates < 0) {
                throw new IllegalArgumentException("verifyDepth must be 0 or more, was " + intermediates);
            }
            this.verifyDepth = OptionalInt.of(intermediates);
            return this;
        }

        /**
         * Accept a client certificate only when it holds one of these names (compared without case, and without a
         * {@code sip:} or {@code sips:} scheme); empty, the default, for any trusted certificate. Goes with
         * {@link ClientAuth#REQUIRE} and trusted CAs.
         */
        public Builder acceptedClientNames(Collection<String> names) {
            Set<String> normal = new LinkedHashSet<>();
            for (String name : names) {
                normal.add(PeerTrust.normalName(Objects.requireNonNull(name, "name")));
            }
            this.acceptedClientNames = normal;
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

        /**
         * An identity for the clients that ask for {@code hostName} in their server name indication: a DNS name, or
         * {@code *.domain} for every name one label under the domain. The default identity ({@link #pem} or
         * {@link #keyStore}) serves every other client, so it must be given too.
         */
        public Builder sniIdentity(String hostName, Path certificateChain, Path privateKey) {
            String name = Objects.requireNonNull(hostName, "hostName").toLowerCase(Locale.ROOT);
            if (!name.matches("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
                    || name.matches("[0-9.]+")) {
                throw new IllegalArgumentException("sniIdentity host name '" + hostName
                        + "' is not a DNS name (SNI carries no IP addresses; a wildcard is *.domain)");
            }
            if (sniIdentities.putIfAbsent(name, new PemIdentity(certificateChain, privateKey)) != null) {
                throw new IllegalArgumentException("sniIdentity host name '" + name + "' is given twice");
            }
            return this;
        }

        /** The configuration. */
        public TlsConfig build() {
            if (!sniIdentities.isEmpty() && privateKey == null && keyStore == null) {
                throw new IllegalArgumentException("SNI identities need a default identity (pem or keyStore) for clients"
                        + " that send no server name or another one");
            }
            if (privateKey != null && keyStore != null) {
                throw new IllegalArgumentException("give the TLS identity either as PEM files or as a key store, not both");
            }
            if (chain != null && privateKey == null) {
                throw new IllegalArgumentException("a certificate chain file goes with a PEM certificate and key");
            }
            if (verifyDepth.isPresent() && trustedCertificates == null && trustStore == null) {
                throw new IllegalArgumentException("verifyDepth needs the trusted CAs it counts to (trustedCertificates"
                        + " or trustStore)");
            }
            if (!acceptedClientNames.isEmpty() && (clientAuth != ClientAuth.REQUIRE
                    || trustedCertificates == null && trustStore == null)) {
                throw new IllegalArgumentException("acceptedClientNames needs clientAuth REQUIRE and trusted CAs");
            }
            if (trustedCertificates != null && trustStore != null) {
                throw new IllegalArgumentException("give trusted CAs either as a PEM file or as a trust store, not both");
            }
            return new TlsConfig(this);
        }

        static Path readable(Path path, String field) {
            Objects.requireNonNull(path, field);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(field + " file " + path + " is not readable");
            }
            return path;
        }
    }
}
