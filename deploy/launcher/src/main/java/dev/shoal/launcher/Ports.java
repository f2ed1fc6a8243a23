package dev.shoal.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Port checks: a free one for tests, and a clear refusal when a configured one is taken.
 *
 * <p>A test stack chooses all its ports first and starts its programs one after another. A port the kernel hands out
 * ({@code bind(0)}) lies in its ephemeral range, where any outgoing connection or ephemeral listener started in the
 * meantime (Kafka's clients, Keycloak, the browser) may take it before its program binds it; CI once failed so.
 * Ports are therefore drawn below that range, where the kernel never picks on its own, and never twice per JVM.
 */
public final class Ports {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    public static int free() {
        int below = ephemeralStart();
        for (int i = 0; i < 200; i++) {
            int p = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (bindable(p) && HANDED_OUT.add(p)) {
                return p;
            }
        }
        throw new LaunchException("no free port on loopback between " + LOWEST + " and " + below);
    }

    /** A free port whose twin, 100 above (where a deploy starts the next build), is free too. */
    public static int freeWithTwin() {
        for (int i = 0; i < 50; i++) {
            int p = free();
            if (bindable(p + 100) && HANDED_OUT.add(p + 100)) {
                return p;
            }
        }
        throw new LaunchException("no free port with a free twin on loopback");
    }

    public static boolean inUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void requireFree(int port, String what, String setting) {
        if (inUse(port)) {
            throw new LaunchException("port " + port + " for " + what + " is taken by another program;"
                    + " stop it or choose another port with " + setting);
        }
    }

    /** Whether nothing listens on the port on any address (a wildcard bind fails if anything does). */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux); 32768, its usual start, elsewhere. */
    static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
