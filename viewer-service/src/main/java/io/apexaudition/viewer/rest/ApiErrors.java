package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.domain.BadParameterException;
import io.apexaudition.viewer.persistence.RunRepository;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's errors as JSON that says what to do next: a 404 names what is missing and where to find what exists, a
 * 400 names the parameter, the value and the values it takes.
 */
public class ApiErrors {

    /** The message a 404 for an unknown run carries. */
    static NotFoundException noRun(String runId) {
        return new NotFoundException("no run '" + runId + "': GET /api/runs (or the runs page, /) lists the runs");
    }

    /** Throws the 404 for an unknown run. */
    static void requireRun(RunRepository runs, String runId) {
        if (runs.findByIdOptional(runId).isEmpty()) {
            throw noRun(runId);
        }
    }

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("parameter", e.parameter());
        body.put("value", e.value());
        if (!e.allowed().isEmpty()) {
            body.put("allowed", e.allowed());
        }
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "not found" : e.getMessage();
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build();
    }
}
