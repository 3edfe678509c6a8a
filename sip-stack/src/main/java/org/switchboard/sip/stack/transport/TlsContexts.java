package org.switchboard.sip.stack.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** The server and client TLS contexts of one {@link TlsConfig}, built once when the transport layer starts. */
final class TlsContexts {

    private final Optional<TlsAcceptor> server;
    private final SslContext client;

    private TlsContexts(Optional<TlsAcceptor> server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /**
     * Loads the key material and trust anchors.
     *
     * @throws TransportException naming the file that could not be read
     */
    static TlsContexts of(TlsConfig config) {
        try {
            Optional<TlsAcceptor> server = config.hasIdentity() ? Optional.of(acceptor(config)) : Optional.empty();
            SslContextBuilder c = SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm(config.verifyHostname() ? "HTTPS" : null);
            if (config.privateKey().isPresent()) {
                c.keyManager(certificates(config), key(config), config.keyPassword().orElse(null));
            } else if (config.keyStore().isPresent()) {
                c.keyManager(keyManagers(config));
            }
            return new TlsContexts(server, common(c, config).build());
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("cannot load the TLS key material: " + e.getMessage(), e);
        }
    }

    /** The server side: the default identity's context and one per SNI host name. */
    static TlsAcceptor acceptor(TlsConfig config) throws IOException {
        SslContextBuilder b = config.privateKey().isPresent()
                ? SslContextBuilder.forServer(certificates(config), key(config), config.keyPassword().orElse(null))
                : SslContextBuilder.forServer(keyManagers(config));
        SslContext defaultContext = server(b, config);
        Map<String, SslContext> byName = new LinkedHashMap<>();
        for (Map.Entry<String, TlsConfig.PemIdentity> e : config.sniIdentities().entrySet()) {
            TlsConfig.PemIdentity identity = e.getValue();
            try {
                byName.put(e.getKey(), server(SslContextBuilder.forServer(identity.certificateChain().toFile(),
                        identity.privateKey().toFile()), config));
            } catch (IllegalArgumentException | SSLException failure) {
                throw new IOException("SNI identity " + e.getKey() + " (" + identity.certificateChain() + ", "
                        + identity.privateKey() + "): " + failure.getMessage(), failure);
            }
        }
        return new TlsAcceptor(defaultContext, byName);
    }

    private static SslContext server(SslContextBuilder b, TlsConfig config) throws SSLException {
        b.clientAuth(switch (config.clientAuth()) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
        });
        return common(b, config).build();
    }

    /** The PEM certificate, followed by the separate chain file's certificates when there is one. */
    private static InputStream certificates(TlsConfig config) throws IOException {
        byte[] leaf = Files.readAllBytes(config.certificateChain().orElseThrow());
        byte[] chain = config.chain().isPresent() ? Files.readAllBytes(config.chain().get()) : new byte[0];
        ByteArrayOutputStream all = new ByteArrayOutputStream(leaf.length + chain.length + 1);
        all.write(leaf);
        all.write('\n');
        all.write(chain);
        return new ByteArrayInputStream(all.toByteArray());
    }

    private static InputStream key(TlsConfig config) throws IOException {
        return new ByteArrayInputStream(Files.readAllBytes(config.privateKey().orElseThrow()));
    }

    private static SslContextBuilder common(SslContextBuilder b, TlsConfig config) {
        b.sslProvider(SslProvider.JDK).protocols(config.protocols());
        if (!config.ciphers().isEmpty()) {
            b.ciphers(config.ciphers());
        }
        if (PeerTrust.needed(config)) {
            try {
                b.trustManager(PeerTrust.of(config, config.trustStore().isPresent()
                        ? load(config.trustStore().get(), config.trustStorePassword().orElseThrow()) : null));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("trusted CAs " + config.trustedCertificates().or(config::trustStore)
                        .orElseThrow() + ": " + e.getMessage(), e);
            }
        } else if (config.trustedCertificates().isPresent()) {
            b.trustManager(config.trustedCertificates().get().toFile());
        } else if (config.trustStore().isPresent()) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(config.trustStore().get(), config.trustStorePassword().orElseThrow()));
                b.trustManager(tmf);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("trust store " + config.trustStore().get() + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    private static KeyManagerFactory keyManagers(TlsConfig config) {
        Path path = config.keyStore().orElseThrow();
        String password = config.keyStorePassword().orElseThrow();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(path, password), config.keyPassword().orElse(password).toCharArray());
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key store " + path + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, String password) throws GeneralSecurityException {
        try {
            return KeyStore.getInstance(path.toFile(), password.toCharArray());
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The server side; present when the configuration has a local identity. */
    Optional<TlsAcceptor> server() {
        return server;
    }

    /** The client context, for outbound TLS and WSS connections. */
    SslContext client() {
        return client;
    }
}
