package io.apexaudition.providers;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.io.InputStream;

/** The Anthropic endpoints the system uses (messages, message batches), at {@code quarkus.rest-client.anthropic.url}. */
@RegisterRestClient(configKey = "anthropic")
@Path("/v1/messages")
@ClientHeaderParam(name = "anthropic-version", value = "2023-06-01")
public interface AnthropicRestClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response createMessage(@HeaderParam("x-api-key") String apiKey, String body);

    /**
     * The body streamed from a spooled file: a batch of thousands of requests is tens of megabytes (AnthropicClient).
     * Its length is stated, or the stream would go chunked; the content type is {@code @Consumes}'s (the simulator
     * refuses a create without it, so the end-to-end tests would see it go missing).
     */
    @POST
    @Path("/batches")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createBatch(@HeaderParam("x-api-key") String apiKey, @HeaderParam("Content-Length") long contentLength,
                         InputStream body);

    @GET
    @Path("/batches/{id}")
    Response getBatch(@HeaderParam("x-api-key") String apiKey, @PathParam("id") String batchId);

    @GET
    @Path("/batches")
    Response listBatches(@HeaderParam("x-api-key") String apiKey, @QueryParam("limit") int limit,
                         @QueryParam("after_id") String afterId);

    @GET
    @Path("/batches/{id}/results")
    @Produces(MediaType.WILDCARD)
    Response results(@HeaderParam("x-api-key") String apiKey, @PathParam("id") String batchId);

}
