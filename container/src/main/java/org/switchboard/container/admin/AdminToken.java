package org.switchboard.container.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The token the API and the console take: the configured one, or one generated at start and written to a file only
 * its owner reads (the log names the file, never the token). Compared in constant time.
 */
final class AdminToken {

    private static final int GENERATED_BYTES = 24;

    private final byte[] token;
    private final Path file; // the generated token's file, null when the token was configured

    private AdminToken(String token, Path file) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    /** The configured token, else a generated one written to a new owner-only file in {@code folder}. */
    static AdminToken of(Optional<String> configured, Path folder) throws IOException {
        if (configured.isPresent()) {
            return new AdminToken(configured.get(), null);
        }
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(folder);
        Path file;
        try {
            file = Files.createTempFile(folder, "admin-token-", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) { // not a POSIX file system: the folder's own access rules apply
            file = Files.createTempFile(folder, "admin-token-", ".txt");
        }
        Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        return new AdminToken(generated, file);
    }

    /** Whether {@code offered} is the token, in time that does not depend on where they differ. */
    boolean matches(String offered) {
        return offered != null && MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
    }

    /** The generated token's file, empty when the token was configured. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Removes the generated token's file: the token dies with the listener. */
    void delete() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left behind: it names a token no listener takes any more
            }
        }
    }
}
