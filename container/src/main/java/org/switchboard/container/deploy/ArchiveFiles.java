package org.switchboard.container.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deployer does on disk: unpacks an archive (refusing entries that would land outside its folder), writes
 * the status marker beside an archive so that a reader never sees half of one, and removes unpacked folders.
 */
final class ArchiveFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFiles.class);
    private static final List<String> MARKERS = List.of(".deployed", ".failed", ".undeployed");

    private ArchiveFiles() {
    }

    static void unpack(Path archive, Path dir) throws IOException {
        deleteTree(dir);
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; entries++) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the archive: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (entries == 0) {
            throw new IOException("not a WAR or JAR archive (no zip entries)");
        }
    }

    static void marker(Path archive, String suffix, String content) {
        for (String m : MARKERS) {
            try {
                Files.deleteIfExists(archive.resolveSibling(archive.getFileName() + m));
            } catch (IOException e) {
                LOG.debug("marker not removed: {}", e.toString());
            }
        }
        try {
            // written aside, then moved: whoever sees the marker reads all of it
            Path marker = archive.resolveSibling(archive.getFileName() + suffix);
            Path partial = archive.resolveSibling("." + archive.getFileName() + suffix + ".tmp");
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("SBC-302 marker {} not written: {}", suffix, e.toString());
        }
    }

    // a version whose drain ends may be removing its own folder while close() removes the whole work folder
    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone already
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("not deleted: {}: {}", dir, e.toString());
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("not deleted: {}: {}", path, e.toString());
        }
    }
}
