package io.apexaudition.simulator.rest;

import io.apexaudition.simulator.config.SimulatorConfig;
import io.apexaudition.simulator.domain.AnthropicBatches;
import io.apexaudition.simulator.domain.Fault;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Consumes the Message Batches API calls on {@code /v1/messages/batches}; produces message_batch objects, lists
 * and JSONL results.
 */
@Path("/v1/messages/batches")
public class AnthropicBatchesResource {
    private static final String KEY = "x-api-key";
    private static final String VERSION = "anthropic-version";

    private final ProviderGate gate;
    private final AnthropicBatches batches;
    private final SimulatorConfig config;

    public AnthropicBatchesResource(ProviderGate gate, AnthropicBatches batches, SimulatorConfig config) {
        this.gate = gate;
        this.batches = batches;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam(KEY) String apiKey, @HeaderParam(VERSION) String version,
                           @Context UriInfo uri, @Context HttpServerRequest http,
                           @HeaderParam("Content-Type") String contentType, String body) {
        Fault after = gate.anthropic(apiKey, version, "anthropic.batches.create");
        return gate.answer(after, false, http, ProviderResponses.ok("anthropic",
                batches.create(ProviderResponses.parse("anthropic", contentType, body), base(uri))).build());
    }

    @GET
    public Response list(@HeaderParam(KEY) String apiKey, @HeaderParam(VERSION) String version, @Context UriInfo uri,
                         @QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("after_id") String afterId,
                         @QueryParam("before_id") String beforeId) {
        gate.anthropic(apiKey, version, "anthropic.batches.list");
        return ProviderResponses.ok("anthropic", batches.list(limit, afterId, beforeId, base(uri))).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@HeaderParam(KEY) String apiKey, @HeaderParam(VERSION) String version, @Context UriInfo uri,
                        @PathParam("id") String id) {
        gate.anthropic(apiKey, version, "anthropic.batches.get");
        return ProviderResponses.ok("anthropic", batches.get(id, base(uri))).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Response cancel(@HeaderParam(KEY) String apiKey, @HeaderParam(VERSION) String version,
                           @Context UriInfo uri, @PathParam("id") String id) {
        gate.anthropic(apiKey, version, "anthropic.batches.cancel");
        return ProviderResponses.ok("anthropic", batches.cancel(id, base(uri))).build();
    }

    @GET
    @Path("/{id}/results")
    public Response results(@HeaderParam(KEY) String apiKey, @HeaderParam(VERSION) String version,
                            @PathParam("id") String id) {
        gate.anthropic(apiKey, version, "anthropic.batches.results");
        return Response.ok(batches.results(id), "application/binary").build();
    }

    private String base(UriInfo uri) {
        return ProviderResponses.base(config.publicBaseUrl(), uri);
    }
}
