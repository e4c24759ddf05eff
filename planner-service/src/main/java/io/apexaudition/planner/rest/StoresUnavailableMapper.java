package io.apexaudition.planner.rest;

import io.apexaudition.planner.messaging.CatalogStores;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** Answers 503 with what to do when the planner's stores cannot be read yet. */
@Provider
public class StoresUnavailableMapper implements ExceptionMapper<CatalogStores.StoresUnavailableException> {
    @Override
    public Response toResponse(CatalogStores.StoresUnavailableException e) {
        return Response.status(503).entity(Map.of("error", e.getMessage())).build();
    }
}
