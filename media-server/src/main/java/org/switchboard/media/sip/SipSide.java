package org.switchboard.media.sip;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Application;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.sdp.Negotiation;
import org.switchboard.media.sdp.SecureMedia;
import org.switchboard.media.sdp.Sdp;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.PortRange;
import org.switchboard.media.session.RtpSession;
import org.switchboard.sip.message.Header;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.ua.Dialog;
import org.switchboard.sip.stack.ua.SessionHandler;
import org.switchboard.sip.uri.SipUri;

/**
 * Answers the MRF's calls: each INVITE (routed only when its User-Agent is {@code drachtio-fsmrf:<id>}, as the
 * fsmrf dialplan's condition) gets a channel and an RTP session; the 200 carries the answer, or an offer when the
 * INVITE had none (3pcc; the answer then comes in the ACK). The channel's dialplan starts once the 200 is sent.
 * Binding sockets and reading the SDP happen on {@code setup}, never on the SIP event loop.
 */
public final class SipSide implements SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SipSide.class);
    private static final Pattern MRF_AGENT = Pattern.compile("^drachtio-fsmrf:(.*)$");

    private final Core core;
    private final Function<String, Optional<Application>> applications;
    private final EventLoopGroup group;
    private final MediaClock clock;
    private final PortRange ports;
    private final InetAddress rtpAddress;
    private final String profileName;
    private final Executor setup;
    private final Consumer<Channel> dialplan;
    private final Map<String, Channel> byCallId = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private volatile int maxSessions = Integer.MAX_VALUE;
    private volatile Negotiation negotiation = Negotiation.defaults();
    private volatile String codecString = codecString(negotiation);
    private volatile SecureMedia secureMedia = SecureMedia.DEFAULT;

    /**
     * A SIP side.
     *
     * @param dialplan what runs on the channel's thread once it is answered (the fsmrf extension: set, socket)
     */
    public SipSide(Core core, Function<String, Optional<Application>> applications, EventLoopGroup group,
                   MediaClock clock, PortRange ports, InetAddress rtpAddress, String profileName, Executor setup,
                   Consumer<Channel> dialplan) {
        this.core = core;
        this.applications = applications;
        this.group = group;
        this.clock = clock;
        this.ports = ports;
        this.rtpAddress = rtpAddress;
        this.profileName = profileName;
        this.setup = setup;
        this.dialplan = dialplan;
    }

    /** The codecs offered and accepted, and whose order decides (FreeSWITCH's codec prefs and negotiation mode). */
    public void codecs(Negotiation codecs) {
        this.negotiation = codecs;
        this.codecString = codecString(codecs);
    }

    /** Whether callers' audio may, must or must not be SRTP. */
    public void secureMedia(SecureMedia policy) {
        this.secureMedia = policy;
    }

    private static String codecString(Negotiation n) {
        return n.codecs().stream().map(c -> c.name().toUpperCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** Refuses new calls (503) while {@code sessions} channels are up. */
    public void maxSessions(int sessions) {
        this.maxSessions = sessions;
    }

    /** From now on new calls are refused (503); calls up go on. */
    public void drain() {
        draining = true;
    }

    @Override
    public CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage incoming) {
        if (draining) {
            LOG.info("MS-SIP-008 {}: shutting down, new calls get 503", dialog.callId());
            return CompletableFuture.completedFuture(Answer.reject(503));
        }
        if (core.channels().size() >= maxSessions) {
            LOG.warn("MS-SIP-009 {}: {} calls are up, the most allowed (max-sessions); 503", dialog.callId(), maxSessions);
            return CompletableFuture.completedFuture(Answer.reject(503));
        }
        String agent = invite.header(HeaderNames.USER_AGENT).orElse("");
        if (!MRF_AGENT.matcher(agent).matches()) {
            LOG.info("MS-SIP-001 {}: no route for User-Agent '{}' (404)", dialog.callId(), agent);
            return CompletableFuture.completedFuture(Answer.reject(404));
        }
        return CompletableFuture.supplyAsync(() -> accept(dialog, invite, incoming), setup);
    }

    private Answer accept(Dialog dialog, SipRequest invite, IncomingMessage incoming) {
        String offerText = invite.bodyAsString();
        Optional<Sdp> offer = Optional.empty();
        if (!offerText.isBlank()) {
            try {
                offer = Optional.of(Sdp.parse(offerText));
            } catch (RuntimeException e) {
                LOG.info("MS-SIP-002 {}: unreadable SDP offer ({}), 488", dialog.callId(), e.getMessage());
                return Answer.reject(488);
            }
        }
        Channel channel = new Channel(core, applications, channelName(invite), profile(invite, incoming));
        sipVariables(channel, invite, incoming);
        Optional<String> refusal = offer.flatMap(Sdp::audio).flatMap(m -> secureMedia.refusal(m.protocol()));
        if (refusal.isPresent()) {
            LOG.info("MS-SIP-011 {}: {}; 488", dialog.callId(), refusal.get());
            channel.hangup("INCOMPATIBLE_DESTINATION");
            return Answer.reject(488, refusal.get());
        }
        RtpSession rtp;
        try {
            rtp = RtpSession.open(group, clock, rtpAddress, ports, channel.mediaListener());
        } catch (IllegalStateException e) {
            LOG.warn("MS-SIP-003 {}: {}; 503", dialog.callId(), e.getMessage());
            channel.hangup("NORMAL_TEMPORARY_FAILURE");
            return Answer.reject(503);
        }
        String local = rtpAddress.getHostAddress();
        String sdp;
        if (offer.isPresent()) {
            Optional<Negotiation.Result> result = negotiation.answer(offer.get(), local, rtp.localPort());
            if (result.isEmpty()) {
                LOG.info("MS-SIP-010 {}: no codec of {} in the offer, or not plain RTP; 488", dialog.callId(),
                        negotiation);
                rtp.close();
                channel.hangup("INCOMPATIBLE_DESTINATION");
                return Answer.reject(488);
            }
            sdp = result.get().sdp();
            channel.media(rtp);
            apply(channel, rtp, result.get(), offerText);
        } else {
            sdp = negotiation.offer(local, rtp.localPort());
            channel.media(rtp);
            rtp.hold(true); // nothing to send to until the answer comes in the ACK
            channel.set("dtmf_type", "rfc2833");
        }
        channel.set("rtp_local_sdp_str", sdp);
        channel.set("local_media_ip", local);
        channel.set("local_media_port", Integer.toString(rtp.localPort()));
        channel.set("endpoint_disposition", "ANSWER");
        channel.fire("CHANNEL_CREATE", "switch_core_state_machine.c", "switch_core_session_run", Map.of());
        byCallId.put(dialog.callId(), channel);
        // the dialog ends on the SIP event loop: the hangup (events, files) runs elsewhere
        dialog.ended().thenAcceptAsync(reason -> {
            byCallId.remove(dialog.callId(), channel);
            channel.hangup(reason == Dialog.EndReason.ACK_TIMEOUT ? "RECOVERY_ON_TIMER_EXPIRE" : "NORMAL_CLEARING");
        }, setup);
        channel.onHangup(cause -> {
            if (!dialog.ended().isDone()) {
                dialog.bye().whenComplete((r, e) -> LOG.debug("BYE for {}: {}", channel, e == null ? r.status() : e));
            }
        });
        // the dialplan runs once the 200 is on its way (the fsmrf extension answers, then sockets)
        channel.start("dialplan", () -> dialplan.accept(channel));
        return Answer.accept(sdp);
    }

    /** Takes an offer's or answer's negotiated result into the session and the channel variables. */
    private void apply(Channel channel, RtpSession rtp, Negotiation.Result result, String remoteSdp) {
        rtp.codec(result.codec(), result.payloadType(), result.telephoneEvent());
        result.srtp().ifPresentOrElse(keys -> rtp.secure(keys.sender(), keys.receiver(), keys.rtcpSender(),
                keys.rtcpReceiver()), () -> rtp.secure(null, null));
        channel.set("rtp_has_crypto", result.srtp().map(keys -> keys.suite().name()).orElse(null));
        channel.codec(result.codec());
        boolean hold = result.remote().isEmpty() || result.direction() == Sdp.Direction.RECVONLY
                || result.direction() == Sdp.Direction.INACTIVE;
        result.remote().ifPresent(rtp::redirect);
        rtp.hold(hold);
        channel.set("switch_r_sdp", remoteSdp);
        channel.set("remote_media_ip", result.remote().map(a -> a.getAddress().getHostAddress()).orElse("0.0.0.0"));
        channel.set("remote_media_port", Integer.toString(result.remote().map(InetSocketAddress::getPort).orElse(0)));
        channel.set("dtmf_type", result.telephoneEvent() >= 0 ? "rfc2833" : "none");
        channel.set("rtp_use_codec_string", codecString);
        channel.set("rtp_use_codec_name", result.codec().name());
        channel.set("rtp_use_codec_rate", Integer.toString(result.codec().clockRate()));
        channel.set("read_codec", result.codec().name());
        channel.set("read_rate", Integer.toString(result.codec().sampleRate()));
        channel.set("write_codec", result.codec().name());
        channel.set("write_rate", Integer.toString(result.codec().sampleRate()));
    }

    @Override
    public CompletionStage<Answer> onReinvite(Dialog dialog, SipRequest reinvite) {
        Channel channel = byCallId.get(dialog.callId());
        if (channel == null || channel.rtp().isEmpty()) {
            return CompletableFuture.completedFuture(Answer.reject(481));
        }
        RtpSession rtp = channel.rtp().get();
        String body = reinvite.bodyAsString();
        if (body.isBlank()) {
            // an offerless re-INVITE: offer again, the answer comes in the ACK
            String offer = negotiation.offer(rtpAddress.getHostAddress(), rtp.localPort());
            channel.set("rtp_local_sdp_str", offer);
            return CompletableFuture.completedFuture(Answer.accept(offer));
        }
        return CompletableFuture.supplyAsync(() -> {
            Optional<Negotiation.Result> result;
            try {
                result = negotiation.answer(Sdp.parse(body), rtpAddress.getHostAddress(), rtp.localPort());
            } catch (RuntimeException e) {
                LOG.info("MS-SIP-004 {}: unreadable SDP in a re-INVITE ({}), 488", dialog.callId(), e.getMessage());
                return Answer.reject(488);
            }
            if (result.isEmpty()) {
                return Answer.reject(488);
            }
            apply(channel, rtp, result.get(), body);
            channel.set("rtp_local_sdp_str", result.get().sdp());
            return Answer.accept(result.get().sdp());
        }, setup);
    }

    @Override
    public void onAck(Dialog dialog, SipRequest ack) {
        String body = ack.bodyAsString();
        Channel channel = byCallId.get(dialog.callId());
        if (body.isBlank() || channel == null || channel.rtp().isEmpty()) {
            return;
        }
        RtpSession rtp = channel.rtp().get();
        try {
            // the answer to our offer: the same choice as answering it (a codec of ours, its event type)
            Optional<Negotiation.Result> result = negotiation.answer(Sdp.parse(body), rtpAddress.getHostAddress(),
                    rtp.localPort());
            if (result.isPresent()) {
                apply(channel, rtp, result.get(), body);
            } else {
                LOG.info("MS-SIP-005 {}: the answer in the ACK has no codec of ours; hanging up", dialog.callId());
                channel.hangup("INCOMPATIBLE_DESTINATION");
            }
        } catch (RuntimeException e) {
            LOG.info("MS-SIP-006 {}: unreadable SDP in the ACK ({}); hanging up", dialog.callId(), e.getMessage());
            channel.hangup("INCOMPATIBLE_DESTINATION");
        }
    }

    /** SIP INFO DTMF: {@code application/dtmf-relay} ({@code Signal=5}, {@code Duration=160} ms) or {@code application/dtmf}. */
    @Override
    public void onInfo(Dialog dialog, SipRequest info) {
        Channel channel = byCallId.get(dialog.callId());
        String type = info.contentType().orElse("").toLowerCase(java.util.Locale.ROOT);
        if (channel == null || !type.startsWith("application/dtmf")) {
            return;
        }
        String signal = null;
        int durationMs = 250;
        for (String line : info.bodyAsString().split("\r?\n")) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("Signal")) {
                signal = kv[1].strip();
            } else if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("Duration")) {
                try {
                    durationMs = Integer.parseInt(kv[1].strip());
                } catch (NumberFormatException e) {
                    LOG.debug("{}: bad DTMF duration '{}'", dialog.callId(), kv[1]);
                }
            } else if (kv.length == 1 && !line.isBlank() && type.equals("application/dtmf")) {
                signal = line.strip();
            }
        }
        if (signal != null && signal.length() == 1 && "0123456789*#ABCDabcd".contains(signal)) {
            channel.dtmf(Character.toUpperCase(signal.charAt(0)), "ENDPOINT", durationMs * 8);
        } else {
            LOG.info("MS-SIP-007 {}: INFO without a usable DTMF signal", dialog.callId());
        }
    }

    private String channelName(SipRequest invite) {
        return "sofia/" + profileName + "/" + userAtHost(invite);
    }

    private static String userAtHost(SipRequest invite) {
        if (invite.from().uri() instanceof SipUri from) {
            return from.user().map(u -> u + "@").orElse("") + from.host()
                    + (from.port().isPresent() ? ":" + from.port().getAsInt() : "");
        }
        return invite.from().uri().toString();
    }

    private Map<String, String> profile(SipRequest invite, IncomingMessage incoming) {
        String user = invite.from().uri() instanceof SipUri from ? from.user().orElse("") : "";
        String destination = invite.requestUri() instanceof SipUri to ? to.user().orElse("") : "";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Direction", "inbound");
        p.put("Logical-Direction", "inbound");
        p.put("Username", user);
        p.put("Dialplan", "XML");
        p.put("Caller-ID-Name", invite.from().displayName().orElse(user));
        p.put("Caller-ID-Number", user);
        p.put("Network-Addr", incoming.remote().getAddress().getHostAddress());
        p.put("ANI", user);
        p.put("Destination-Number", destination);
        p.put("Source", "mod_sofia");
        p.put("Context", "mrf");
        p.put("Channel-Name", channelName(invite));
        p.put("Profile-Index", "1");
        long now = System.currentTimeMillis() * 1000;
        p.put("Profile-Created-Time", Long.toString(now));
        p.put("Channel-Created-Time", Long.toString(now));
        p.put("Channel-Answered-Time", Long.toString(now));
        return p;
    }

    /** The variables sofia sets from the INVITE, on a channel just created for it. */
    private static void sipVariables(Channel channel, SipRequest invite, IncomingMessage incoming) {
        channel.set("sip_call_id", invite.callId().orElse(""));
        channel.set("sip_user_agent", invite.header(HeaderNames.USER_AGENT).orElse(""));
        if (invite.from().uri() instanceof SipUri from) {
            channel.set("sip_from_user", from.user().orElse(""));
            channel.set("sip_from_host", from.host());
            channel.set("sip_from_uri", userAtHost(invite));
        }
        if (invite.requestUri() instanceof SipUri req) {
            channel.set("sip_req_user", req.user().orElse(""));
            channel.set("sip_req_host", req.host());
            channel.set("sip_to_user", req.user().orElse(""));
        }
        channel.set("sip_network_ip", incoming.remote().getAddress().getHostAddress());
        channel.set("sip_network_port", Integer.toString(incoming.remote().getPort()));
        channel.set("sip_local_network_addr", incoming.local().getAddress().getHostAddress());
        for (Header h : invite.headers()) {
            if (h.name().regionMatches(true, 0, "X-", 0, 2)) {
                channel.set("sip_h_" + h.name(), h.value());
            }
        }
    }
}
