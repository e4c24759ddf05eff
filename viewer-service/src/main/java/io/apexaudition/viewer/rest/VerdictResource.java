package io.apexaudition.viewer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.viewer.domain.BlindShuffler;
import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.VerdictBallot;
import io.apexaudition.viewer.domain.VerdictRefusedException;
import io.apexaudition.viewer.domain.VerdictRequest;
import io.apexaudition.viewer.domain.VerdictTally;
import io.apexaudition.viewer.messaging.KafkaUnavailableException;
import io.apexaudition.viewer.messaging.VerdictPublisher;
import io.apexaudition.viewer.persistence.RunRepository;
import io.apexaudition.viewer.persistence.VerdictEntity;
import io.apexaudition.viewer.persistence.VerdictRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Readers' verdicts on a run: {@code POST} casts one (published as a {@link VerdictRecorded} to apex.verdicts, which
 * the recorder writes into apex_audition.verdicts), {@code GET tally} counts them per lane. The viewer writes no
 * table: a verdict counts once the recorder has it, and a rebuild replays it like every other event.
 */
@Path("/api/runs/{id}/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {
    /** What the reader is told once the broker has the verdict. */
    static final String SENT = "Verdict recorded — it counts once the recorder has it";

    private final RunRepository runs;
    private final VerdictRepository verdicts;
    private final VerdictPublisher publisher;

    public VerdictResource(RunRepository runs, VerdictRepository verdicts, VerdictPublisher publisher) {
        this.runs = runs;
        this.verdicts = verdicts;
        this.publisher = publisher;
    }

    /** The answer to a verdict: its id, {@code sent} or {@code already recorded}, and what that means. */
    public record Receipt(String verdictId, String status, String message) {
    }

    /** A refusal: every problem joined in {@code error}, and one by one. */
    public record Problems(String error, List<String> problems) {
    }

    private static boolean isUuid(String value) {
        try {
            return value != null && java.util.UUID.fromString(value.strip()) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cast(@PathParam("id") String runId, String json) {
        requireRun(runId);
        VerdictRequest body = read(json);
        // only well-formed ids are looked up: Postgres refuses a NUL in any text it is asked about, which would end
        // in a 500; the ballot then names what is wrong with the rest
        VerdictEntity recorded = body == null || !isUuid(body.verdictId()) ? null
                : verdicts.findById(body.verdictId().strip());
        if (recorded != null && recorded.runId.equals(runId)) {
            // sent before (a double click, a retry after a lost answer): recorded once, nothing to send again
            return Response.accepted(new Receipt(recorded.verdictId, "already recorded",
                    "This verdict is already recorded; it counts once")).build();
        }
        if (recorded != null) {
            throw new VerdictRefusedException(400, List.of("verdictId " + recorded.verdictId + " is a verdict of "
                    + "another run: make a new one for each verdict (a UUID, e.g. crypto.randomUUID())"));
        }
        List<LaneOutput> outputs = body == null || body.promptId() == null || body.promptId().isBlank()
                || TextChecks.identifier("promptId", body.promptId()).isPresent() ? List.of()
                : BlindShuffler.shuffle(runId, body.promptId(), verdicts.outputs(runId, body.promptId()));
        VerdictRecorded verdict = VerdictBallot.check(runId, body, outputs, Instant.now());
        publisher.publish(verdict);
        return Response.accepted(new Receipt(verdict.verdictId(), "sent", SENT)).build();
    }

    @GET
    @Path("tally")
    public VerdictTally tally(@PathParam("id") String runId, @QueryParam("prompt") String promptId) {
        requireRun(runId);
        return verdicts.tally(runId, promptId == null || promptId.isBlank() ? null : promptId);
    }

    @ServerExceptionMapper
    public Response refused(VerdictRefusedException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new Problems(e.getMessage(), e.problems())).build();
    }

    @ServerExceptionMapper
    public Response kafkaDown(KafkaUnavailableException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).entity(Map.of("error", e.getMessage())).build();
    }

    private static VerdictRequest read(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(json, VerdictRequest.class);
        } catch (JsonProcessingException e) {
            throw new VerdictRefusedException(400, List.of("the body is not a verdict (" + e.getOriginalMessage()
                    + "): send a JSON object with verdictId, promptId, kind and, for a pairwise verdict, a, b and "
                    + "winner, for a ranking, ranking"));
        }
    }

    private void requireRun(String runId) {
        if (runs.findByIdOptional(runId).isEmpty()) {
            throw new NotFoundException("no run " + runId);
        }
    }
}
