package io.apexaudition.simulator.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdminGuardTest {

    @Test
    void shouldKeepAdminEndpointsClosedUnlessEnabled() {
        assertThat(AdminGuard.decide(false, List.of("local"))).isEqualTo(AdminGuard.Decision.CLOSED);
        assertThat(AdminGuard.decide(false, List.of("test"))).isEqualTo(AdminGuard.Decision.CLOSED);
        assertThat(AdminGuard.decide(true, List.of("local"))).isEqualTo(AdminGuard.Decision.OPEN);
        assertThat(AdminGuard.decide(true, List.of("test"))).isEqualTo(AdminGuard.Decision.OPEN);
    }

    @Test
    void shouldRefuseToOpenAdminEndpointsUnderTheProdProfileEvenWhenEnabled() {
        assertThat(AdminGuard.decide(true, List.of("prod"))).isEqualTo(AdminGuard.Decision.REFUSED_IN_PROD);
        assertThat(AdminGuard.decide(true, List.of("local", "prod"))).isEqualTo(AdminGuard.Decision.REFUSED_IN_PROD);
        assertThat(new AdminGuard(true, List.of("prod")).open()).isFalse();
        assertThat(new AdminGuard(true, List.of("local")).open()).isTrue();
        assertThat(new AdminGuard(false, List.of("local")).open()).isFalse();
    }
}
