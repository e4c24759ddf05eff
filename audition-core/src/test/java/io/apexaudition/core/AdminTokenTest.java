package io.apexaudition.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenTest {
    private static final String SECRET = "s3cret-admin-token-0123456789";
    private final AdminToken token = new AdminToken(Optional.of(SECRET));

    @Test
    void shouldLetThroughACallThatCarriesTheToken() {
        assertThat(token.check("Bearer " + SECRET)).isEmpty();
        assertThat(token.check("bearer " + SECRET)).isEmpty();
        assertThat(token.check(AdminToken.header(SECRET))).isEmpty();
    }

    @Test
    void shouldRefuseACallWithoutTheHeaderNamingTheVariableToSend() {
        assertThat(token.check(null)).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).contains("missing").contains("Authorization: Bearer").contains("APEX_ADMIN_TOKEN");
        });
        assertThat(token.check("Basic " + SECRET)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void shouldRefuseAWrongTokenWithoutEchoingEitherToken() {
        String sent = SECRET + "-but-wrong";

        Optional<AdminToken.Refusal> refusal = token.check("Bearer " + sent);

        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).contains("wrong").contains("APEX_ADMIN_TOKEN")
                    .doesNotContain(SECRET).doesNotContain("wrong-but").doesNotContain(sent.substring(0, 8));
        });
        assertThat(token.check("Bearer " + SECRET.substring(0, SECRET.length() - 1))).isPresent();
        assertThat(token.check("Bearer ")).isPresent();
    }

    @Test
    void shouldRefuseEveryAdminCallWhenTheServiceHasNoTokenSayingHowToSetOne() {
        for (AdminToken none : new AdminToken[]{new AdminToken(Optional.empty()), new AdminToken(Optional.of("  "))}) {
            assertThat(none.check("Bearer anything")).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.error()).contains("APEX_ADMIN_TOKEN").contains("apex.admin.token").contains("restart");
            });
            assertThat(none.check("Bearer ")).isPresent();
        }
    }
}
