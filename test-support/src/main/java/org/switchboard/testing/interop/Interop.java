package org.switchboard.testing.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.switchboard.testing.files.Folders;

/** Finds the interop data files on the class path. */
public final class Interop {

    private static Path extracted;

    private Interop() {
    }

    /**
     * The file at {@code relative} (such as {@code rfc4475/wsinv.dat} or {@code sipp/uac.xml}) as a
     * path on disk, for peers such as sipp that read files themselves. When the data sits in a jar,
     * the whole tree is extracted once into a temporary folder so relative references still work.
     */
    public static Path path(String relative) {
        URL url = url(relative);
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            return extractedRoot(url).resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the file at {@code relative}. */
    public static byte[] bytes(String relative) {
        try (InputStream in = url(relative).openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One row of a torture corpus index ({@code rfc4475/INDEX.tsv}, {@code rfc5118/INDEX.tsv}).
     *
     * @param file the message's path under interop, such as {@code rfc4475/wsinv.dat}
     * @param kind valid, invalid, transaction, application or compat
     * @param accept the index's accept rule, alternatives joined by {@code |}
     */
    public record TortureCase(String file, String kind, String accept) {
    }

    /** Every message of the RFC 4475 and RFC 5118 torture corpora, in index order. */
    public static java.util.List<TortureCase> tortureCorpus() {
        java.util.List<TortureCase> out = new java.util.ArrayList<>();
        for (String set : java.util.List.of("rfc4475", "rfc5118")) {
            String[] rows = new String(bytes(set + "/INDEX.tsv"), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < rows.length; i++) {
                String[] cols = rows[i].split("\t");
                out.add(new TortureCase(set + "/" + cols[0], cols[2], cols[4].strip()));
            }
        }
        return out;
    }

    /**
     * An RFC 5118 message in wire form. That RFC's archive is not (see its README): LF line ends, two files
     * without the empty line, two wrong Content-Lengths. A sender fixes that framing first; so do the tests.
     */
    public static byte[] rfc5118WireForm(byte[] archived) {
        String text = new String(archived, java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n");
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text.stripTrailing() : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 2).replace("\n", "\r\n");
        head = head.replaceAll("(?im)^(Content-Length|l)[ \\t]*:.*$",
                "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        return (head.replace("\n", "\r\n") + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static URL url(String relative) {
        URL url = Interop.class.getResource("/interop/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no interop file " + relative);
        }
        return url;
    }

    private static synchronized Path extractedRoot(URL inJar) throws IOException {
        if (extracted == null) {
            Path root = Files.createTempDirectory("switchboard-interop");
            JarURLConnection connection = (JarURLConnection) inJar.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !entry.getName().startsWith("interop/")) {
                        continue;
                    }
                    Path target = root.resolve(entry.getName().substring("interop/".length()));
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            extracted = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Folders.deleteQuietly(root), "interop-cleanup"));
        }
        return extracted;
    }
}
