package org.switchboard.drachtio.server;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transport.TransportError;

/**
 * RFC 4028 session timers as drachtio-server runs them for apps (docs/drachtio.md): the interval is negotiated from the
 * 2xx, the server refreshes with re-INVITE when it is the refresher and ends the call with BYE
 * ({@code Session timer expired}) when the peer should refresh and does not; too-small intervals get 422.
 *
 * <p>Threads: no state of its own; a dialog's timer is its {@code sessionTimer} field (volatile), armed by the SIP
 * event loop or app event loop that saw the 2xx and fired on the timer thread, which also handles the responses'
 * outcome through the re-INVITE's listener on a SIP event loop.
 */
final class SessionTimers {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimers.class);
    private static final String SESSION_EXPIRES = "Session-Expires";
    private static final long RETRY_AFTER_491_MILLIS = 2000;

    /**
     * A Session-Expires value.
     *
     * @param seconds the interval
     * @param refresher {@code uac}, {@code uas} or empty
     */
    record Interval(long seconds, String refresher) {
        static Optional<Interval> of(SipMessage m) {
            Optional<String> value = m.header(SESSION_EXPIRES).or(() -> m.header("x"));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String[] parts = value.get().split(";");
            String refresher = "";
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].strip().split("=", 2);
                if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("refresher")) {
                    refresher = kv[1].strip().toLowerCase(Locale.ROOT);
                }
            }
            try {
                return Optional.of(new Interval(Long.parseLong(parts[0].strip()), refresher));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private final AppDialogs dialogs;
    private final SipNetwork network;
    private final ScheduledExecutorService timer;
    private final long minSeconds;
    private final String defaultRefresher;

    SessionTimers(AppDialogs dialogs, SipNetwork network, ScheduledExecutorService timer, long minSeconds,
                  String defaultRefresher) {
        this.dialogs = dialogs;
        this.network = network;
        this.timer = timer;
        this.minSeconds = minSeconds;
        this.defaultRefresher = defaultRefresher;
    }

    /** Answers 422 (with Min-SE) a re-INVITE or UPDATE whose interval is below the minimum; returns whether it did. */
    boolean rejectTooSmall(ServerTransaction tx) {
        SipRequest request = tx.request();
        if (!request.isMethod("INVITE") && !request.isMethod("UPDATE")) {
            return false;
        }
        Optional<Interval> asked = Interval.of(request);
        if (asked.isEmpty() || asked.get().seconds() >= minSeconds) {
            return false;
        }
        tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 422), request, null)
                .addHeader("Min-SE", Long.toString(minSeconds)).build());
        return true;
    }

    /**
     * The Session-Expires the server adds to an app's 2xx that has none when the INVITE asked for a timer: the
     * INVITE's refresher, else the configured default ({@code none}: no timer, no header).
     */
    Optional<String> headerFor2xx(SipRequest request, AppSipMessage app) {
        if (app.header(SESSION_EXPIRES).isPresent()) {
            return Optional.empty();
        }
        Optional<Interval> asked = Interval.of(request);
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        String refresher = asked.get().refresher().isEmpty() ? defaultRefresher : asked.get().refresher();
        if (refresher.equals("none")) {
            return Optional.empty();
        }
        return Optional.of(Math.max(minSeconds, asked.get().seconds()) + ";refresher=" + refresher);
    }

    /** After our 2xx (UAS side): the peer refreshes unless the refresher is {@code uas}. */
    void armAfterSent(AppDialog dialog, SipResponse ok) {
        Interval.of(ok).ifPresent(i -> arm(dialog, Math.max(minSeconds, i.seconds()), i.refresher().equals("uas")));
    }

    /** After a 2xx to our INVITE (UAC side): the server refreshes unless the refresher is {@code uas}. */
    void armAfterReceived(AppDialog dialog, SipResponse ok) {
        Interval.of(ok).ifPresent(i -> arm(dialog, Math.max(minSeconds, i.seconds()), !i.refresher().equals("uas")));
    }

    private void arm(AppDialog dialog, long seconds, boolean weRefresh) {
        cancel(dialog);
        if (dialog.ended()) {
            return;
        }
        long millis = TimeUnit.SECONDS.toMillis(seconds);
        if (weRefresh) {
            dialog.sessionTimer = timer.schedule(() -> refresh(dialog, seconds), millis / 2, TimeUnit.MILLISECONDS);
        } else {
            dialog.sessionTimer = timer.schedule(() -> {
                if (!dialog.ended()) {
                    LOG.debug("{}: no session refresh within {} s", dialog, seconds);
                    dialogs.teardown(dialog, "Session timer expired");
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
    }

    private static void cancel(AppDialog dialog) {
        if (dialog.sessionTimer != null) {
            dialog.sessionTimer.cancel(false);
        }
    }

    private void refresh(AppDialog dialog, long seconds) {
        if (dialog.ended()) {
            return;
        }
        SipRequest.Builder b = dialog.sip.request("INVITE")
                .addHeader(HeaderNames.CONTACT, dialog.sip.localContact())
                .addHeader(HeaderNames.SUPPORTED, "timer")
                .addHeader(SESSION_EXPIRES, seconds + ";refresher=uac")
                .addHeader("Min-SE", Long.toString(minSeconds));
        if (dialog.localSdp != null) {
            b.body("application/sdp", dialog.localSdp);
        }
        SipRequest reinvite = b.build();
        network.sendRequest(reinvite, dialog.destination(network), new ResponseListener() {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                int status = response.status();
                if (status < 200 || dialog.ended()) {
                    return;
                }
                dialog.sip.onResponse(reinvite, response);
                if (status < 300) {
                    dialog.sip.ackSent(network.sendStateless(dialog.sip.ack(reinvite.cseq().number()).build(),
                            dialog.destination(network)));
                    Interval next = Interval.of(response).orElse(new Interval(seconds, "uac"));
                    arm(dialog, Math.max(minSeconds, next.seconds()), !next.refresher().equals("uas"));
                } else if (status == 491) {
                    dialog.sessionTimer = timer.schedule(() -> refresh(dialog, seconds), RETRY_AFTER_491_MILLIS,
                            TimeUnit.MILLISECONDS);
                } else {
                    dialogs.teardown(dialog, "Session timer expired");
                }
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
                dialogs.teardown(dialog, "Session timer expired");
            }

            @Override
            public void onTransportError(ClientTransaction tx, TransportError error) {
                dialogs.teardown(dialog, "Session timer expired");
            }
        });
    }

    /** Whether a request says it supports session timers. */
    static boolean supportsTimer(SipRequest request) {
        return request.headers().values(HeaderNames.SUPPORTED).stream().anyMatch(v -> v.strip().equalsIgnoreCase("timer"));
    }
}
