package io.apexaudition.simulator.rest;

import io.apexaudition.simulator.domain.FileStore;
import io.apexaudition.simulator.domain.Refusal;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Consumes multipart uploads and file reads on {@code /v1/files}; produces file objects and raw file content. */
@Path("/v1/files")
public class OpenAiFilesResource {
    private final ProviderGate gate;
    private final FileStore files;

    public OpenAiFilesResource(ProviderGate gate, FileStore files) {
        this.gate = gate;
        this.files = files;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @RestForm("purpose") String purpose, @RestForm("file") FileUpload file) {
        gate.openAi(authorization, "openai.files");
        if (purpose == null || purpose.isBlank()) {
            throw Refusal.openAi(400, "Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
        }
        if (file == null || file.uploadedFile() == null) {
            throw Refusal.openAi(400, "Missing required parameter: 'file'.", "file", "missing_required_parameter");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String filename = file.fileName() == null || file.fileName().isBlank() ? "upload.jsonl" : file.fileName();
        return ProviderResponses.ok("openai", files.put(filename, purpose, content).toJson()).build();
    }

    @GET
    @Path("/{id}")
    public Response metadata(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        gate.openAi(authorization, "openai.files");
        return ProviderResponses.ok("openai", find(id).toJson()).build();
    }

    @GET
    @Path("/{id}/content")
    public Response content(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        gate.openAi(authorization, "openai.files.content");
        return Response.ok(find(id).content(), MediaType.APPLICATION_OCTET_STREAM).build();
    }

    private FileStore.StoredFile find(String id) {
        return files.get(id).orElseThrow(() -> Refusal.openAi(404, "No such File object: " + id, "id", null));
    }
}
