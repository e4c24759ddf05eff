package io.apexaudition.planner.rest;

import io.apexaudition.planner.domain.RunProgress;
import io.apexaudition.planner.messaging.PlannerTopology;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;

/**
 * Live progress of a run, straight from the planner's Kafka Streams state (no database involved): per lane,
 * expected and final generations. This instance answers for the runs whose partitions it holds.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private final KafkaStreams streams;

    public RunResource(KafkaStreams streams) {
        this.streams = streams;
    }

    @GET
    @Path("/{runId}/progress")
    public Response progress(@PathParam("runId") String runId) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Response.status(503).entity(Map.of("error", "the planner is " + streams.state()
                    + "; retry in a few seconds")).build();
        }
        ReadOnlyKeyValueStore<String, RunProgress> store = streams.store(StoreQueryParameters.fromNameAndType(
                PlannerTopology.PROGRESS_STORE, QueryableStoreTypes.<String, RunProgress>keyValueStore()));
        RunProgress progress = store.get(runId);
        if (progress == null) {
            return Response.status(404).entity(Map.of("error", "no accepted run '" + runId + "' (yet): it may "
                    + "have been rejected, or the planner has not planned it yet; see `apex status " + runId + "`"))
                    .build();
        }
        return Response.ok(progress).build();
    }
}
