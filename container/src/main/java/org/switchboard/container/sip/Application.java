package org.switchboard.container.sip;

import java.lang.annotation.Annotation;
import java.util.List;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;

/** A deployed application as SIP dispatch sees it. Implementations are thread-safe. */
public interface Application {

    /** The deployment's name and version, for logs. */
    String name();

    /** The application's middleware for {@code method}, in order. */
    List<Middleware> middleware(String method);

    /** The application's error middleware, in order. */
    List<ErrorMiddleware> errorMiddleware();

    /** Whether some observer would receive {@code request}. */
    boolean observes(SipRequest request);

    /** Fires {@code request} to the application's observers; returns when they did. */
    void fireRequest(SipRequest request);

    /** Fires a dialog event to the application's observers. */
    void fireDialogEvent(DialogEvent event);

    /** Whether the application observes CDRs. */
    boolean observesCdrs();

    /** Fires a CDR. */
    void fireCdr(CdrEvent cdr);

    /** Fires a media event ({@code EslEvent}, {@code DtmfEvent}) with {@code qualifiers} to the application's observers. */
    void fireEvent(Object event, Annotation... qualifiers);

    /** The application's class loader, the context class loader while its code runs. */
    ClassLoader classLoader();

    /**
     * An application that observes nothing and has no middleware: the owner of calls the container makes for itself
     * (to media servers), or a stand-in where only an application's identity matters. Firing anything at it fails.
     */
    static Application observingNothing(String name) {
        return new ObservingNothing(name);
    }
}

/** See {@link Application#observingNothing}. */
record ObservingNothing(String name) implements Application {

    @Override
    public List<Middleware> middleware(String method) {
        return List.of();
    }

    @Override
    public List<ErrorMiddleware> errorMiddleware() {
        return List.of();
    }

    @Override
    public boolean observes(SipRequest request) {
        return false;
    }

    @Override
    public void fireRequest(SipRequest request) {
        throw new IllegalStateException(name + " observes no request");
    }

    @Override
    public void fireDialogEvent(DialogEvent event) {
        // its calls are followed by whoever made them, not through dialog events
    }

    @Override
    public boolean observesCdrs() {
        return false;
    }

    @Override
    public void fireCdr(CdrEvent cdr) {
        throw new IllegalStateException(name + " observes no CDRs");
    }

    @Override
    public void fireEvent(Object event, Annotation... qualifiers) {
        throw new IllegalStateException(name + " observes no media events");
    }

    @Override
    public ClassLoader classLoader() {
        return Application.class.getClassLoader();
    }
}
