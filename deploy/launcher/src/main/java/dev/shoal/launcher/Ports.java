package dev.shoal.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks: a free one for tests, and a clear refusal when a configured one is taken. */
public final class Ports {
    private Ports() {
    }

    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LaunchException("no free port on loopback", e);
        }
    }

    /** A free port whose twin, 100 above (where a deploy starts the next build), is free too. */
    public static int freeWithTwin() {
        for (int i = 0; i < 50; i++) {
            int p = free();
            if (p + 100 <= 65535 && !inUse(p + 100)) {
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
}
