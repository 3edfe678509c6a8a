package org.switchboard.samples.registrar;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.switchboard.sip.auth.CredentialSource;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestAuthentication;
import org.switchboard.sip.middleware.Mount;

/**
 * Digest authentication of REGISTER against the users in {@code users.properties} (realm {@code switchboard}), MD5
 * only, so that browser phones can register too.
 */
@Dependent
@Priority(10)
@Mount("REGISTER")
public class Authentication extends DigestAuthentication {

    public Authentication() {
        // MD5 alone: browser phones (SIP.js, JsSIP) read only the last WWW-Authenticate of a 401 and answer only MD5,
        // so a SHA-256 challenge after the MD5 one locked them out; sipp reads the first, so no order suits both
        super(DigestAuthentication.builder().realm("switchboard").algorithms(Digest.Algorithm.MD5)
                .credentials(CredentialSource.of(users())));
    }

    private static Map<String, String> users() {
        Properties p = new Properties();
        try (InputStream in = Authentication.class.getResourceAsStream("/users.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> users = new HashMap<>();
        p.stringPropertyNames().forEach(u -> users.put(u, p.getProperty(u)));
        return users;
    }
}
