package dev.shoal.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SourceAddressTest {
    @Test
    void ipv6AddressesInOneSlash64AreOneSource() {
        assertEquals(SourceAddress.of("2001:db8:1:2::1"), SourceAddress.of("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals(SourceAddress.of("2001:db8:1:2::1"), SourceAddress.of("[2001:0db8:0001:0002:0:0:0:9]"));
        assertEquals("2001:db8:1:2::/64", SourceAddress.of("2001:db8:1:2::1"));
        assertNotEquals(SourceAddress.of("2001:db8:1:2::1"), SourceAddress.of("2001:db8:1:3::1"));
    }

    @Test
    void ipv4IsItselfAlsoWhenMappedIntoIpv6() {
        assertEquals("192.0.2.7", SourceAddress.of("192.0.2.7"));
        assertEquals("192.0.2.7", SourceAddress.of("::ffff:192.0.2.7"));
        assertNotEquals(SourceAddress.of("192.0.2.7"), SourceAddress.of("192.0.2.8"));
    }
}
