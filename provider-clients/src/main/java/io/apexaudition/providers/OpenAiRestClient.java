package io.apexaudition.providers;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.PartFilename;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;

/** The OpenAI endpoints the system uses (files, batches, chat completions), at {@code quarkus.rest-client.openai.url}. */
@RegisterRestClient(configKey = "openai")
@Path("/v1")
public interface OpenAiRestClient {

    @POST
    @Path("/files")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    Response uploadFile(@HeaderParam("Authorization") String authorization, @RestForm("purpose") String purpose,
                        @RestForm("file") @PartFilename("batch.jsonl") @PartType(MediaType.APPLICATION_OCTET_STREAM)
                        java.io.File file);

    @GET
    @Path("/files/{id}/content")
    @jakarta.ws.rs.Produces(MediaType.WILDCARD)
    Response fileContent(@HeaderParam("Authorization") String authorization, @PathParam("id") String fileId);

    @POST
    @Path("/batches")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createBatch(@HeaderParam("Authorization") String authorization, String body);

    @GET
    @Path("/batches/{id}")
    Response getBatch(@HeaderParam("Authorization") String authorization, @PathParam("id") String batchId);

    @GET
    @Path("/batches")
    Response listBatches(@HeaderParam("Authorization") String authorization, @QueryParam("limit") int limit,
                         @QueryParam("after") String after);


    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    Response chatCompletion(@HeaderParam("Authorization") String authorization, String body);
}
