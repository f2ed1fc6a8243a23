package dev.shoal.gateway.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The unit a caller's address is limited by: an IPv4 address as it is, an IPv6 address by its /64 (one end site gets
 * a whole /64 and can pick any address in it, so limiting single IPv6 addresses limits nothing). IPv4 mapped into
 * IPv6 ({@code ::ffff:a.b.c.d}) counts as the IPv4 address.
 */
public final class SourceAddress {
    private SourceAddress() {
    }

    /** The limiting key of an address literal; anything that does not parse as an IP literal is its own key. */
    public static String of(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!literal.matches("[0-9A-Fa-f:.]+")) {
            return address; // not a literal: never resolved here
        }
        try {
            InetAddress ip = InetAddress.getByName(literal);
            if (ip instanceof Inet4Address) {
                return ip.getHostAddress();
            }
            if (ip instanceof Inet6Address) {
                byte[] b = ip.getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return ip.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
