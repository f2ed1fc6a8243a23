package dev.shoal.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortsLieBelowTheEphemeralRangeAndAreNeverHandedOutTwice() throws IOException {
        int ephemeral = Ports.ephemeralStart();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int p = i % 2 == 0 ? Ports.free() : Ports.freeWithTwin();
            assertTrue(p >= 10_000 && p < ephemeral, p + " is outside [10000, " + ephemeral + ")");
            assertTrue(seen.add(p), p + " was handed out twice");
            if (i % 2 == 1) {
                assertTrue(seen.add(p + 100), "the twin " + (p + 100) + " was handed out before");
            }
        }
        // the kernel's own choice, an outgoing connection's port, lies in the range the free ports avoid
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(s.getLocalPort() >= ephemeral);
        }
    }

    @Test
    void aPortSomethingListensOnIsTakenAndRefusedByName() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertTrue(Ports.inUse(s.getLocalPort()));
            LaunchException refused = assertThrows(LaunchException.class,
                    () -> Ports.requireFree(s.getLocalPort(), "feed-service", "SHOAL_FEED_PORT"));
            assertTrue(refused.getMessage().contains("SHOAL_FEED_PORT"));
        }
        int p = Ports.free();
        assertFalse(Ports.inUse(p));
    }
}
