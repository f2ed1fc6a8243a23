package dev.shoal.post.domain;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a link's host is on the public internet, judged from the text alone (Shoal never resolves or fetches a
 * link; agents that follow one must still check where its name resolves). Refused: every special-purpose IPv4 and
 * IPv6 range (IANA's registries: loopback, private, shared, link-local, benchmarking 198.18.0.0/15, documentation,
 * reserved 240.0.0.0/4, multicast), IPv4 inside IPv6 judged by the IPv4 it carries (mapped, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) or refused outright (the deprecated compatible {@code ::a.b.c.d}, Teredo), numeric spellings of addresses
 * ({@code 2130706433}, {@code 0x7f.1}), local names ({@code localhost}, {@code localhost.localdomain}, {@code .local},
 * {@code .internal}, {@code .arpa}…), and names that are addresses in disguise: wildcard-DNS names that spell an
 * address (any name of {@code nip.io}, {@code sslip.io} and their kind; elsewhere, four numbers in a row that spell a
 * non-public address, as in {@code 10-0-0-1.example.com}) and well-known names that resolve to loopback.
 */
public final class PublicHost {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+))*");
    /** Four address-like numbers in a row, by dots or dashes: 127.0.0.1.nip.io, 10-0-0-1.sslip.io. */
    private static final Pattern EMBEDDED_IPV4 = Pattern.compile("(?<![0-9])(?=((\\d{1,3})[.-](\\d{1,3})[.-]"
            + "(\\d{1,3})[.-](\\d{1,3}))(?![0-9]))");
    private static final List<String> LOCAL_SUFFIXES = List.of("localhost", "localdomain", "local", "internal",
            "lan", "home", "corp", "intranet", "private", "arpa", "test", "invalid", "example");
    /** Wildcard-DNS services that answer with the address spelled in the name, and names that answer loopback. */
    private static final List<String> ADDRESS_IN_NAME = List.of("nip.io", "sslip.io", "xip.io", "traefik.me",
            "localtest.me", "lvh.me", "vcap.me", "localhost.direct");

    private PublicHost() {
    }

    /** Whether a URL's host (as {@link java.net.URI#getHost()} gives it, brackets included) is public. */
    public static boolean isPublic(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            return isPublicAddress(host.substring(1, host.length() - 1));
        }
        if (IPV4.matcher(host).matches()) {
            // 012.0.0.1 is 10.0.0.1 to the many parsers that read a leading zero as octal: never a public address.
            return !host.matches(".*(^|\\.)0\\d.*") && isPublicAddress(host);
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            return false; // 2130706433, 0x7f.1 and friends: addresses in disguise
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (ascii.isEmpty() || ascii.endsWith(".") || !ascii.contains(".")) {
            return false;
        }
        for (String suffix : LOCAL_SUFFIXES) {
            if (ascii.equals(suffix) || ascii.endsWith("." + suffix)) {
                return false;
            }
        }
        for (String service : ADDRESS_IN_NAME) {
            if (ascii.equals(service) || ascii.endsWith("." + service)) {
                return false;
            }
        }
        Matcher m = EMBEDDED_IPV4.matcher(ascii);
        while (m.find()) {
            // A lookahead: overlapping runs are all tried (1.10.0.0.1 holds 10.0.0.1 too).
            String address = m.group(2) + "." + m.group(3) + "." + m.group(4) + "." + m.group(5);
            if (IPV4.matcher(address).matches() && !isPublicAddress(address)) {
                return false;
            }
        }
        return true;
    }

    static boolean isPublicAddress(String literal) {
        int zone = literal.indexOf('%');
        if (zone >= 0 || !literal.matches("[0-9a-f:.]+")) {
            return false; // a zone id names a local interface; anything else is not an address literal
        }
        try {
            InetAddress a = InetAddress.getByName(literal); // a literal: no name lookup happens
            byte[] b = a.getAddress();
            return a instanceof Inet4Address ? isPublicV4(b) : isPublicV6(b);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0                                   // this network
                || a0 == 10                                // private
                || a0 == 127                               // loopback
                || (a0 == 100 && (a1 & 0xc0) == 64)        // shared address space
                || (a0 == 169 && a1 == 254)                // link-local
                || (a0 == 172 && (a1 & 0xf0) == 16)        // private
                || (a0 == 192 && a1 == 0 && a2 == 0)       // IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2)       // documentation
                || (a0 == 192 && a1 == 88 && a2 == 99)     // 6to4 relay anycast
                || (a0 == 192 && a1 == 168)                // private
                || (a0 == 198 && (a1 & 0xfe) == 18)        // benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100)    // documentation
                || (a0 == 203 && a1 == 0 && a2 == 113)     // documentation
                || a0 >= 224);                             // multicast, reserved, broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        int w0 = word(b, 0);
        int w1 = word(b, 1);
        boolean firstNinetySixZero = w0 == 0 && w1 == 0 && word(b, 2) == 0 && word(b, 3) == 0 && word(b, 4) == 0
                && word(b, 5) == 0;
        if (firstNinetySixZero) {
            return false; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d: never a public destination
        }
        if (w0 == 0 && w1 == 0 && word(b, 2) == 0 && word(b, 3) == 0 && word(b, 4) == 0 && word(b, 5) == 0xffff) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // mapped (the JDK usually unwraps these)
        }
        if (w0 == 0x64 && w1 == 0xff9b) {
            // NAT64: 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is for local use.
            return word(b, 2) == 0 && isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (w0 == 0x2002) {
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4 carries an IPv4 address
        }
        return !(w0 == 0x2001 && w1 == 0                   // Teredo: an obfuscated IPv4 inside
                || (w0 == 0x2001 && w1 == 0x0db8)          // documentation
                || (w0 == 0x0100 && w1 == 0 && word(b, 2) == 0 && word(b, 3) == 0) // discard
                || (w0 & 0xfe00) == 0xfc00                 // unique local
                || (w0 & 0xffc0) == 0xfe80                 // link-local
                || (w0 & 0xffc0) == 0xfec0                 // site-local (deprecated)
                || (w0 & 0xff00) == 0xff00                 // multicast
                || (w0 == 0x2001 && (w1 & 0xfff0) == 0x0010) // ORCHID
                || (w0 == 0x2001 && w1 == 0x0002 && word(b, 2) == 0) // benchmarking
                || (w0 & 0xfff0) == 0x3ff0                 // documentation (3fff::/20)
                || (w0 & 0xe000) != 0x2000);               // outside global unicast 2000::/3
    }

    private static int word(byte[] b, int i) {
        return ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
}
