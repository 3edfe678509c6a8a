package org.switchboard.media.esl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which peers may use the inbound event socket ({@code apply-inbound-acl}): a list of CIDR blocks; the others get
 * {@code text/rude-rejection}. Immutable.
 */
public final class Acl {

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Block> blocks;
    private final List<String> text;

    private Acl(List<Block> blocks, List<String> text) {
        this.blocks = blocks;
        this.text = text;
    }

    /** Everyone. */
    public static Acl any() {
        return parse(List.of("0.0.0.0/0", "::/0"));
    }

    /** The loopback networks (FreeSWITCH's {@code loopback.auto}). */
    public static Acl loopback() {
        return parse(List.of("127.0.0.0/8", "::1/128"));
    }

    /**
     * The blocks given as {@code address[/bits]}.
     *
     * @throws IllegalArgumentException naming a block that is not an IP literal with a fitting prefix length
     */
    public static Acl parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            String[] p = cidr.strip().split("/", 2);
            if (!p[0].matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("ACL entry '" + cidr + "' is not an IP address[/bits]");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(p[0]).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("ACL entry '" + cidr + "' is not an IP address[/bits]", e);
            }
            int bits;
            try {
                bits = p.length > 1 ? Integer.parseInt(p[1]) : address.length * 8;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ACL entry '" + cidr + "' has a bad prefix length", e);
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("ACL entry '" + cidr + "': prefix length must be 0-"
                        + address.length * 8);
            }
            blocks.add(new Block(address, bits));
        }
        return new Acl(List.copyOf(blocks), List.copyOf(cidrs));
    }

    /** Whether {@code address} may connect. */
    public boolean allows(InetAddress address) {
        byte[] a = address.getAddress();
        return blocks.stream().anyMatch(b -> b.contains(a));
    }

    @Override
    public String toString() {
        return String.join(",", text);
    }
}
