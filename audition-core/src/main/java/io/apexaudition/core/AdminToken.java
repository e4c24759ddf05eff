package io.apexaudition.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The shared secret that guards the admin endpoints (lane and prompt registration on the planner, the recorder's
 * rebuild). Plain Java so the planner and the recorder share one check and the CLI one header. The token is
 * compared in constant time and never appears in a message: a refusal says what to do, not what was sent. A
 * service started without a token refuses every admin call rather than serve them to anyone (secure by default).
 */
public final class AdminToken {
    /** The environment variable the services read (config property {@code apex.admin.token}) and the CLI sends. */
    public static final String ENV = "APEX_ADMIN_TOKEN";
    static final String BEARER = "Bearer ";

    /** The configured token's bytes, or null when the service has none. */
    private final byte[] expected;

    public AdminToken(Optional<String> configured) {
        this.expected = configured.map(String::strip).filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Why an admin call is refused: the HTTP status and a message that names the fix (never the token). */
    public record Refusal(int status, String error) {
    }

    /**
     * @param authorization the request's {@code Authorization} header, null when absent
     * @return the refusal, or empty when the header carries the configured token
     */
    public Optional<Refusal> check(String authorization) {
        if (expected == null) {
            return Optional.of(new Refusal(503, "admin calls are off: this service was started without an admin "
                    + "token. Set " + ENV + " (property apex.admin.token) to a long random value in its "
                    + "environment and restart it (./apex up does this and keeps the token in .apex/stack.env)"));
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(new Refusal(401, "admin token missing: send the header 'Authorization: Bearer "
                    + "<token>' with the " + ENV + " the service was started with (the apex CLI sends "
                    + ENV + " from its environment; ./apex exports it from .apex/stack.env)"));
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        // constant time in the length of the expected token, whatever was sent: no timing hint of a prefix
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.of(new Refusal(401, "admin token wrong: the bearer token is not the " + ENV + " the "
                    + "service was started with; use the value from its environment (.apex/stack.env for ./apex "
                    + "up, the apex-admin Secret in Kubernetes, .env for Docker Compose)"));
        }
        return Optional.empty();
    }

    /** The {@code Authorization} header value that carries {@code token}. */
    public static String header(String token) {
        return BEARER + token;
    }
}
