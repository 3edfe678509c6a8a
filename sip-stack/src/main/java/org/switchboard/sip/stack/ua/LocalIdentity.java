package org.switchboard.sip.stack.ua;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;

/**
 * How the user agent names itself and its media: the Contact for a listen point, the user part from the product
 * name, and the SDP it answers with when its configuration gives none. Thread-safe: the only state is the SDP
 * session version, an atomic counter.
 */
final class LocalIdentity {

    private final UserAgentConfig config;
    private final AtomicLong sessionVersion = new AtomicLong(System.currentTimeMillis() / 1000);

    LocalIdentity(UserAgentConfig config) {
        this.config = config;
    }

    /** The Contact for responses to a request that came in on {@code incoming}'s listen point. */
    String contact(IncomingMessage incoming) {
        InetSocketAddress local = incoming.local();
        return contactFor(new ListenPoint(incoming.transport(), local));
    }

    String contactFor(ListenPoint local) {
        return "<sip:" + userPart() + "@" + local.hostForUri() + ":" + local.address().getPort()
                + (local.transport() == Transport.UDP ? "" : ";transport=" + local.transport().name().toLowerCase(Locale.ROOT))
                + ">";
    }

    /** The product name as a URI user part: lower-case letters and digits. */
    String userPart() {
        return config.product().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The configured SDP answer, else a PCMU/PCMA/telephone-event answer on the address the offer came to. */
    String answerSdp(IncomingMessage incoming) {
        if (config.answerSdp().isPresent()) {
            return config.answerSdp().get();
        }
        String ip = incoming.local().getAddress().getHostAddress();
        String family = incoming.local().getAddress() instanceof Inet6Address ? "IP6" : "IP4";
        long version = sessionVersion.incrementAndGet();
        return "v=0\r\n"
                + "o=" + userPart() + " " + version + " " + version + " IN " + family + " " + ip + "\r\n"
                + "s=" + config.product() + "\r\n"
                + "c=IN " + family + " " + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }
}
