package org.switchboard.container.deploy;

import jakarta.decorator.Decorator;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.NormalScope;
import jakarta.enterprise.inject.Stereotype;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds an archive's bean classes (CDI 4 bean discovery, done explicitly rather than by Weld's scanner). */
final class BeanScanner {

    private static final Logger LOG = LoggerFactory.getLogger(BeanScanner.class);

    enum Mode { ALL, ANNOTATED, NONE }

    private BeanScanner() {
    }

    /** The discovery mode a beans.xml declares; {@code annotated} when it is absent or says nothing. */
    static Mode mode(Path beansXml) {
        if (!Files.isRegularFile(beansXml)) {
            return Mode.ANNOTATED;
        }
        try {
            return mode(Files.readString(beansXml, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Mode mode(String xml) {
        String m = xml.replaceAll("(?s).*bean-discovery-mode\\s*=\\s*\"([a-z]+)\".*", "$1");
        return switch (m) {
            case "all" -> Mode.ALL;
            case "none" -> Mode.NONE;
            default -> xml.isBlank() ? Mode.ALL : Mode.ANNOTATED; // an empty beans.xml means all (CDI 1.x, still honoured)
        };
    }

    static List<Class<?>> scan(Path classes, ClassLoader loader, Mode mode) {
        List<Class<?>> found = new ArrayList<>();
        if (mode == Mode.NONE || !Files.isDirectory(classes)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String name = classes.relativize(p).toString().replace('/', '.').replace('\\', '.');
                add(name.substring(0, name.length() - ".class".length()), loader, mode, found);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Bean classes of a library JAR: none unless it has META-INF/beans.xml. */
    static List<Class<?>> scanJar(Path jar, ClassLoader loader) {
        List<Class<?>> found = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry beans = file.getJarEntry("META-INF/beans.xml");
            if (beans == null) {
                return found;
            }
            Mode mode;
            try (InputStream in = file.getInputStream(beans)) {
                mode = mode(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (mode == Mode.NONE) {
                return found;
            }
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/")) {
                    add(n.substring(0, n.length() - ".class".length()).replace('/', '.'), loader, mode, found);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar.getFileName(), e);
        }
        return found;
    }

    private static void add(String name, ClassLoader loader, Mode mode, List<Class<?>> found) {
        if (name.endsWith("module-info") || name.endsWith("package-info")) {
            return;
        }
        try {
            Class<?> c = Class.forName(name, false, loader);
            if (mode == Mode.ALL || beanDefining(c)) {
                found.add(c);
            }
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("{} skipped: {}", name, e.toString());
        }
    }

    private static boolean beanDefining(Class<?> c) {
        for (Annotation a : c.getAnnotations()) {
            Class<? extends Annotation> t = a.annotationType();
            if (t == Dependent.class || t == Interceptor.class || t == Decorator.class || t.isAnnotationPresent(NormalScope.class)
                    || t.isAnnotationPresent(Stereotype.class)) {
                return true;
            }
        }
        return false;
    }
}
