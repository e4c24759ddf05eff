package io.apexaudition.recorder.rest;

import io.apexaudition.core.AdminToken;
import io.apexaudition.recorder.messaging.RebuildProcessor;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * {@code POST /api/rebuild}: empties the tables and replays every topic into them (see {@link RebuildProcessor}).
 * An admin call: it runs only with the admin token ({@link AdminToken}).
 */
@Path("/api/rebuild")
public class RebuildResource {
    private final RebuildProcessor rebuild;
    private final AdminToken token;

    public RebuildResource(RebuildProcessor rebuild, AdminConfig admin) {
        this.rebuild = rebuild;
        this.token = new AdminToken(admin.token());
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response rebuild(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) throws Exception {
        Optional<AdminToken.Refusal> refused = token.check(authorization);
        if (refused.isPresent()) {
            return Response.status(refused.get().status()).entity(refused.get()).build();
        }
        return Response.ok(rebuild.rebuild()).build();
    }
}
