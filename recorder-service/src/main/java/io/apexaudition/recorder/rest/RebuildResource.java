package io.apexaudition.recorder.rest;

import io.apexaudition.recorder.messaging.RebuildProcessor;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/rebuild}: empties the tables and replays every topic into them (see {@link RebuildProcessor}). */
@Path("/api/rebuild")
public class RebuildResource {
    private final RebuildProcessor rebuild;

    public RebuildResource(RebuildProcessor rebuild) {
        this.rebuild = rebuild;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public RebuildProcessor.Report rebuild() throws Exception {
        return rebuild.rebuild();
    }
}
