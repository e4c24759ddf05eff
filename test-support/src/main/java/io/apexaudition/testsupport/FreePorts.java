package io.apexaudition.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port nothing listens on right now, for a broker or a service a test starts. Taken below Linux's ephemeral range
 * (32768-60999): a port the kernel handed out for {@code ServerSocket(0)} lies in that range, where the many outgoing
 * connections of a test take their local ports too, and one of them took a service's port between the test finding it
 * and the service binding it (CI, InfrastructureFaultsIT: "Port 43353 seems to be in use"). Each port is handed out
 * once per JVM.
 */
public final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int find() {
        for (int tries = 0; tries < 500; tries++) {
            int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
            } catch (IOException inUse) {
                continue;
            }
            if (GIVEN.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }
}
