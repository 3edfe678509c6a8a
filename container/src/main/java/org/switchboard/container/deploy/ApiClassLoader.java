package org.switchboard.container.deploy;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every application class loader: it shows applications the Java platform, the Jakarta APIs,
 * Switchboard's application API, SLF4J and the Weld classes its generated proxies need, and nothing else of the
 * container (no Netty, no drachtio client, no container beans).
 */
final class ApiClassLoader extends ClassLoader {

    private static final List<String> VISIBLE = List.of("jakarta.", "org.switchboard.sip.app.", "org.switchboard.sip.message.",
            "org.switchboard.sip.uri.", "org.switchboard.sip.middleware.", "org.switchboard.sip.auth.",
            "org.switchboard.sip.media.",
            "org.switchboard.sip.SipParseException", "org.slf4j.", "org.jboss.weld.");

    private final ClassLoader container;

    ApiClassLoader(ClassLoader container) {
        super("switchboard-api", ClassLoader.getPlatformClassLoader());
        this.container = container;
    }

    private static boolean visible(String className) {
        for (String prefix : VISIBLE) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (visible(name)) {
            return container.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        return visible(name.replace('/', '.')) ? container.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return visible(name.replace('/', '.')) ? container.getResources(name) : Collections.emptyEnumeration();
    }
}
