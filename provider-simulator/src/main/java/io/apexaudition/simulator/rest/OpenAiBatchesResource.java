package io.apexaudition.simulator.rest;

import io.apexaudition.simulator.domain.Fault;
import io.apexaudition.simulator.domain.OpenAiBatches;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Consumes the OpenAI Batch API calls on {@code /v1/batches}; produces batch objects and batch lists. */
@Path("/v1/batches")
public class OpenAiBatchesResource {
    private final ProviderGate gate;
    private final OpenAiBatches batches;

    public OpenAiBatchesResource(ProviderGate gate, OpenAiBatches batches) {
        this.gate = gate;
        this.batches = batches;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @Context HttpServerRequest http, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           String body) {
        Fault after = gate.openAi(authorization, "openai.batches.create");
        return gate.answer(after, true, http,
                ProviderResponses.ok("openai", batches.create(ProviderResponses.parse("openai", contentType, body))).build());
    }

    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("after") String after) {
        gate.openAi(authorization, "openai.batches.list");
        return ProviderResponses.ok("openai", batches.list(limit, after)).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        gate.openAi(authorization, "openai.batches.get");
        return ProviderResponses.ok("openai", batches.get(id)).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        gate.openAi(authorization, "openai.batches.cancel");
        return ProviderResponses.ok("openai", batches.cancel(id)).build();
    }
}
