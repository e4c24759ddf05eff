package io.apexaudition.planner.rest;

import io.apexaudition.core.AdminToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses an {@link AdminOnly} call without the admin token before its body is even read (see {@link AdminToken}).
 * Application scoped so that it is created at the first call: Quarkus REST sets its filters up before the runtime
 * configuration, and so the token, can be read.
 */
@Provider
@AdminOnly
@ApplicationScoped
public class AdminTokenFilter implements ContainerRequestFilter {
    private final AdminToken token;

    public AdminTokenFilter(AdminConfig config) {
        this.token = new AdminToken(config.token());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        token.check(request.getHeaderString(HttpHeaders.AUTHORIZATION)).ifPresent(refusal -> request.abortWith(
                Response.status(refusal.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(refusal).build()));
    }
}
