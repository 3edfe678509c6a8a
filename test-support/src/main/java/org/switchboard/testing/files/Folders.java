package org.switchboard.testing.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the test tools make for themselves. */
public final class Folders {

    private Folders() {
    }

    /** Deletes {@code folder} and everything in it, best effort: what cannot be deleted is left behind. */
    public static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
