package org.switchboard.arquillian.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.switchboard.sip.app.Message;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.message.SipRequest;

/** The deployed application's MESSAGE side: keeps each text and answers 200. */
@ApplicationScoped
public class Inbox {

    private final List<String> texts = new CopyOnWriteArrayList<>();

    @Inject
    Srf srf;

    void onMessage(@Observes @Message SipRequest message) {
        texts.add(message.bodyAsString());
        srf.respond(message, 200);
    }

    /** The texts received so far. */
    public List<String> texts() {
        return List.copyOf(texts);
    }
}
