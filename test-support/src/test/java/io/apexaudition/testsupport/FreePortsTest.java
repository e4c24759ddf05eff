package io.apexaudition.testsupport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The ports tests give their brokers and services: below the kernel's ephemeral range, never the same twice. */
class FreePortsTest {

    @Test
    void shouldHandOutPortsBelowTheEphemeralRangeNeverTheSameTwice() {
        // given a JVM that asks for many ports, as a run of the e2e tests does
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            // when
            int port = FreePorts.find();

            // then it lies where no outgoing connection takes its local port, and was not handed out before
            assertThat(port).isBetween(20_000, 31_999);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
