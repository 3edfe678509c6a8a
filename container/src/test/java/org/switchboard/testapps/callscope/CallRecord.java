package org.switchboard.testapps.callscope;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.sip.app.CallScoped;

/**
 * What one call's handling saw, in order; on its end it reports {@code <user>#<instance>:<what it saw>} to
 * {@code callscope.ended}, and {@code callscope.live} counts the instances not destroyed yet.
 */
@CallScoped
public class CallRecord {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final AtomicInteger LIVE = new AtomicInteger();

    private final List<String> seen = new ArrayList<>();
    private String user = "?";
    private int instance;

    @PostConstruct
    void made() {
        instance = INSTANCES.incrementAndGet();
        System.setProperty("callscope.live", Integer.toString(LIVE.incrementAndGet()));
    }

    /** Notes the call's first request and the user it was for. */
    public synchronized void start(String user, String what) {
        this.user = user;
        seen.add(what);
    }

    /** Notes a request or event of the call. */
    public synchronized void saw(String what) {
        seen.add(what);
    }

    @PreDestroy
    synchronized void ended() {
        Report.add("ended", user + "#" + instance + ":" + String.join("+", seen));
        System.setProperty("callscope.live", Integer.toString(LIVE.decrementAndGet()));
    }
}
