package org.switchboard.sip.media;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a media server says about itself: its SIP addresses (from {@code sofia status} when connecting), and its
 * host, version, addresses and idle CPU (from its last heartbeat; the version from {@code status} until the first).
 *
 * @param hostname the server's host name ({@code FreeSWITCH-Hostname}), empty until the first heartbeat
 * @param version the server's version ({@code FreeSWITCH-Version}), empty when not reported
 * @param ipv4 the server's IPv4 address ({@code FreeSWITCH-IPv4}), empty until the first heartbeat
 * @param ipv6 the server's IPv6 address ({@code FreeSWITCH-IPv6}), empty until the first heartbeat
 * @param idleCpu idle CPU in percent ({@code Idle-CPU}), empty until the first heartbeat
 * @param sipAddresses the SIP profile's address ({@code ip:port}, {@code [ipv6]:port}) for each way it is reached
 */
public record MediaServerInfo(String hostname, String version, String ipv4, String ipv6, OptionalDouble idleCpu,
                              Map<SipCapability, String> sipAddresses) {

    /** How the media server's SIP profile can be reached: address family and transport (DTLS: SIP over TLS). */
    public enum SipCapability {
        /** IPv4, plain UDP. */
        IPV4_UDP,
        /** IPv4, TLS. */
        IPV4_DTLS,
        /** IPv6, plain UDP. */
        IPV6_UDP,
        /** IPv6, TLS. */
        IPV6_DTLS
    }

    /** Checks every part is present; copies the addresses. */
    public MediaServerInfo {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        Objects.requireNonNull(idleCpu, "idleCpu");
        sipAddresses = sipAddresses.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(sipAddresses));
    }

    /** Whether the server's SIP profile can be reached that way (drachtio-fsmrf's {@code hasCapability}). */
    public boolean hasCapability(SipCapability capability) {
        return sipAddresses.containsKey(capability);
    }
}
