package org.switchboard.container.deploy;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.container.cdi.SwitchboardExtension;
import org.switchboard.container.sip.Application;
import org.switchboard.container.sip.Ordered;
import org.switchboard.container.sip.SipCore;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Message;
import org.switchboard.sip.app.Options;
import org.switchboard.sip.app.Register;
import org.switchboard.sip.app.SipMethod;
import org.switchboard.sip.app.Subscribe;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;

/**
 * One version of one application: its unpacked archive, class loader and Weld container. Bean classes are
 * those of {@code WEB-INF/classes} (or the JAR's root) and of library JARs that carry a {@code beans.xml},
 * all of them with {@code bean-discovery-mode="all"}, only those with a bean-defining annotation otherwise.
 */
final class Deployment implements Application {

    private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);
    private static final Map<String, Annotation> QUALIFIERS = Map.of("INVITE", Invite.Literal.INSTANCE,
            "REGISTER", Register.Literal.INSTANCE, "OPTIONS", Options.Literal.INSTANCE, "MESSAGE", Message.Literal.INSTANCE,
            "SUBSCRIBE", Subscribe.Literal.INSTANCE);

    private final String name;
    private final String id;
    private final URLClassLoader loader;
    private final WeldContainer weld;
    private final BeanManager beans;
    private final SwitchboardExtension extension;
    private final RoutingRule rule;
    private final List<Ordered<Middleware>> middleware;
    private final List<Ordered<ErrorMiddleware>> errorMiddleware;

    private Deployment(String name, String id, URLClassLoader loader, WeldContainer weld, SwitchboardExtension extension,
                       RoutingRule rule) {
        this.name = name;
        this.id = id;
        this.loader = loader;
        this.weld = weld;
        this.beans = weld.getBeanManager();
        this.extension = extension;
        this.rule = rule;
        this.middleware = ordered(weld.select(Middleware.class, Any.Literal.INSTANCE));
        this.errorMiddleware = ordered(weld.select(ErrorMiddleware.class, Any.Literal.INSTANCE));
    }

    private static <T> List<Ordered<T>> ordered(Instance<T> instances) {
        List<Ordered<T>> list = new ArrayList<>();
        for (Instance.Handle<T> h : instances.handles()) {
            list.add(Ordered.of(h.get(), h.getBean().getBeanClass()));
        }
        return Ordered.sorted(list);
    }

    /**
     * Starts {@code unpacked} (a WAR or JAR unpacked into a folder) as application {@code name}.
     *
     * @param overrides the container's {@code routing.*} settings for this application, which win over the archive's
     * @param parent the parent of the application's class loader
     */
    static Deployment start(String name, String id, Path unpacked, boolean war, SipCore core, Properties overrides,
                            ClassLoader parent) {
        Path classes = war ? unpacked.resolve("WEB-INF/classes") : unpacked;
        List<Path> libraries = new ArrayList<>();
        Path lib = unpacked.resolve("WEB-INF/lib");
        if (war && Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(libraries::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(classes.toUri().toURL());
            for (Path jar : libraries) {
                urls.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URLClassLoader loader = new URLClassLoader("app-" + id, urls.toArray(URL[]::new), parent);
        try {
            Properties props = descriptor(unpacked, war);
            props.putAll(overrides);
            RoutingRule rule = RoutingRule.from(props);
            Path beansXml = war ? unpacked.resolve("WEB-INF/beans.xml") : unpacked.resolve("META-INF/beans.xml");
            Set<Class<?>> beanClasses = new HashSet<>(BeanScanner.scan(classes, loader, BeanScanner.mode(beansXml)));
            for (Path jar : libraries) {
                beanClasses.addAll(BeanScanner.scanJar(jar, loader));
            }
            Deployment[] self = new Deployment[1];
            SwitchboardExtension extension = core.media().enabled()
                    ? new SwitchboardExtension(() -> core.srf(self[0]), () -> self[0], () -> core.media().servers(self[0]),
                            () -> core.media().defaultServer(self[0]))
                    : new SwitchboardExtension(() -> core.srf(self[0]), () -> self[0]);
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            try {
                WeldContainer weld = new Weld(id)
                        .disableDiscovery()
                        .setClassLoader(loader)
                        .property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                        .addBeanClasses(beanClasses.toArray(Class<?>[]::new))
                        .addExtension(extension)
                        .initialize();
                self[0] = new Deployment(name, id, loader, weld, extension, rule);
            } finally {
                t.setContextClassLoader(previous);
            }
            LOG.debug("{}: {} bean classes, {} middleware, methods {}", id, beanClasses.size(), self[0].middleware.size(),
                    self[0].methods());
            return self[0];
        } catch (RuntimeException | Error e) {
            close(loader);
            throw e;
        }
    }

    private static Properties descriptor(Path unpacked, boolean war) {
        Properties props = new Properties();
        for (String candidate : war ? List.of("WEB-INF/switchboard.properties", "WEB-INF/classes/META-INF/switchboard.properties")
                : List.of("META-INF/switchboard.properties")) {
            Path p = unpacked.resolve(candidate);
            if (Files.isRegularFile(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    props.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + candidate, e);
                }
                break;
            }
        }
        return props;
    }

    /** The methods the application takes: its rule's, else those its observers select. */
    Set<String> methods() {
        return rule.methods().isEmpty() ? extension.methods() : rule.methods();
    }

    BeanManager beans() {
        return beans;
    }

    RoutingRule rule() {
        return rule;
    }

    boolean matches(SipRequest request) {
        return rule.matches(request, methods());
    }

    String id() {
        return id;
    }

    @Override
    public String name() {
        return id;
    }

    String application() {
        return name;
    }

    @Override
    public List<Middleware> middleware(String method) {
        return middleware.stream().filter(m -> m.mountedOn(method)).map(Ordered::value).toList();
    }

    @Override
    public List<ErrorMiddleware> errorMiddleware() {
        return errorMiddleware.stream().map(Ordered::value).toList();
    }

    private static Annotation[] qualifiers(String method) {
        Annotation specific = QUALIFIERS.get(method);
        return specific == null ? new Annotation[] {SipMethod.Literal.of(method)}
                : new Annotation[] {SipMethod.Literal.of(method), specific};
    }

    @Override
    public boolean observes(SipRequest request) {
        return !beans.resolveObserverMethods(request, qualifiers(request.method().toUpperCase(Locale.ROOT))).isEmpty();
    }

    @Override
    public void fireRequest(SipRequest request) {
        beans.getEvent().select(SipRequest.class, qualifiers(request.method().toUpperCase(Locale.ROOT))).fire(request);
    }

    @Override
    public void fireDialogEvent(DialogEvent event) {
        beans.getEvent().select(DialogEvent.class).fire(event);
    }

    @Override
    public boolean observesCdrs() {
        return extension.observesCdrs();
    }

    @Override
    public void fireCdr(CdrEvent cdr) {
        beans.getEvent().select(CdrEvent.class).fire(cdr);
    }

    @Override
    public void fireEvent(Object event, Annotation... qualifiers) {
        beans.getEvent().select(qualifiers).fire(event);
    }

    @Override
    public ClassLoader classLoader() {
        return loader;
    }

    /** Shuts the Weld container down and closes the class loader. */
    void stop() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            weld.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("SBC-303 {}: shutdown failed", id, e);
        } finally {
            t.setContextClassLoader(previous);
            close(loader);
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("class loader not closed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
