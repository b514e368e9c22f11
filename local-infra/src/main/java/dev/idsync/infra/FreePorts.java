package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks TCP ports on the loopback address, where every local-infra server listens. */
final class FreePorts {

    static final String HOST = "127.0.0.1";

    private FreePorts() {
    }

    /** {@code preferred} when it is free, else any free port; {@code 0} means any free port. */
    static int choose(int preferred) {
        if (preferred < 0 || preferred > 65535) {
            throw new IllegalArgumentException("not a port: " + preferred);
        }
        if (preferred != 0 && isFree(preferred)) {
            return preferred;
        }
        return any();
    }

    /** Any free port other than the ones given (the broker needs two distinct ports). */
    static int anyExcept(int taken) {
        int port = any();
        while (port == taken) {
            port = any();
        }
        return port;
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As PostgreSQL and Kafka bind (SO_REUSEADDR): a port whose last connections linger in
            // TIME_WAIT after a restart of the stack is free for them, so the stack keeps its ports.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int any() {
        // The port is released again before the server binds it; the servers retry on a lost race.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
