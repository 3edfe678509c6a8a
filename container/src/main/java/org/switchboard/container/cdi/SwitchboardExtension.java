package org.switchboard.container.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Message;
import org.switchboard.sip.app.Options;
import org.switchboard.sip.app.Register;
import org.switchboard.sip.app.SipMethod;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.Subscribe;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * Added to each application's Weld container: provides the application's {@link Srf} as a singleton bean (and,
 * when the container has media, its {@link MediaServers} and default {@link MediaServer}: without media they are
 * not beans, so an application injecting them fails to deploy with Weld's unsatisfied dependency) and notes the SIP methods its {@code SipRequest} observers select ({@code *} for an observer without a method
 * qualifier) and whether it observes {@link CdrEvent}s.
 */
public final class SwitchboardExtension implements Extension {

    /** Methods an observer without a method qualifier takes. */
    public static final String ANY = "*";

    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(Invite.class, "INVITE",
            Register.class, "REGISTER", Options.class, "OPTIONS", Message.class, "MESSAGE", Subscribe.class, "SUBSCRIBE");

    private final Supplier<Srf> srf;
    private final Supplier<MediaServers> media; // null: no media
    private final Supplier<MediaServer> mediaServer;
    private final Set<String> methods = ConcurrentHashMap.newKeySet();
    private volatile boolean cdrs;

    /** An extension whose {@code Srf} bean is {@code srf}'s value, with no media beans. */
    public SwitchboardExtension(Supplier<Srf> srf) {
        this(srf, null, null);
    }

    /** An extension whose {@code Srf}, {@code MediaServers} and {@code MediaServer} beans are the suppliers' values. */
    public SwitchboardExtension(Supplier<Srf> srf, Supplier<MediaServers> media, Supplier<MediaServer> mediaServer) {
        this.srf = srf;
        this.media = media;
        this.mediaServer = mediaServer;
    }

    void requests(@Observes ProcessObserverMethod<SipRequest, ?> event) {
        boolean qualified = false;
        for (Annotation q : event.getObserverMethod().getObservedQualifiers()) {
            String method = q instanceof SipMethod m ? m.value().toUpperCase(Locale.ROOT) : METHODS.get(q.annotationType());
            if (method != null) {
                methods.add(method);
                qualified = true;
            }
        }
        if (!qualified) {
            methods.add(ANY);
        }
    }

    void cdrs(@Observes ProcessObserverMethod<CdrEvent, ?> event) {
        cdrs = true;
    }

    void beans(@Observes AfterBeanDiscovery event) {
        event.addBean().types(Srf.class, Object.class).scope(Singleton.class).createWith(c -> srf.get());
        if (media != null) {
            event.addBean().types(MediaServers.class, Object.class).scope(Singleton.class).createWith(c -> media.get());
            event.addBean().types(MediaServer.class, Object.class).scope(Singleton.class).createWith(c -> mediaServer.get());
        }
    }

    /** The methods observed. */
    public Set<String> methods() {
        return Set.copyOf(methods);
    }

    /** Whether CDRs are observed. */
    public boolean observesCdrs() {
        return cdrs;
    }
}
