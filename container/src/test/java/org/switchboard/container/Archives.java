package org.switchboard.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds application JARs from the test classes of one package, for deployment tests. */
final class Archives {

    private Archives() {
    }

    /** A JAR with the classes of {@code pkg} (from the test class path) and the given META-INF files. */
    static Path jar(Path file, String pkg, Map<String, String> metaInf) throws IOException {
        Path classes = Path.of("target/test-classes");
        Path dir = classes.resolve(pkg.replace('.', '/'));
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jar);
                jar.closeEntry();
            }
            for (Map.Entry<String, String> e : metaInf.entrySet()) {
                jar.putNextEntry(new JarEntry("META-INF/" + e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }
}
