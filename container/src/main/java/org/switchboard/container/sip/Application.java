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
}
