package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.domain.AdminGuard;
import io.apexaudition.simulator.domain.RuntimeSettings;
import io.apexaudition.simulator.domain.SimulatorClock;
import io.apexaudition.simulator.domain.SimulatorState;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Consumes admin calls on {@code /_sim/*} (only when {@link AdminGuard} is open, else 404); produces the
 * effective config, the ledger, the batch list, the simulated clock, and resets.
 */
@Path("/_sim")
public class AdminResource {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AdminGuard guard;
    private final RuntimeSettings settings;
    private final SimulatorState state;
    private final SimulatorClock clock;

    public AdminResource(AdminGuard guard, RuntimeSettings settings, SimulatorState state, SimulatorClock clock) {
        this.guard = guard;
        this.settings = settings;
        this.state = state;
        this.clock = clock;
    }

    @GET
    @Path("/config")
    public Response config() {
        requireOpen();
        return json(settings.current().toJson());
    }

    @POST
    @Path("/config")
    @Consumes(MediaType.WILDCARD)
    public Response updateConfig(String body) {
        requireOpen();
        try {
            return json(settings.update(parse(body)).toJson());
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
    }

    @GET
    @Path("/ledger")
    public Response ledger() {
        requireOpen();
        ArrayNode entries = JsonNodeFactory.instance.arrayNode();
        state.ledger().forEach(e -> entries.add(e.toJson()));
        return json(entries);
    }

    @GET
    @Path("/batches")
    public Response batches() {
        requireOpen();
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        state.batches().forEach(b -> list.add(b.toJson()));
        return json(list);
    }

    @POST
    @Path("/reset")
    @Consumes(MediaType.WILDCARD)
    public Response reset() {
        requireOpen();
        state.reset();
        return Response.noContent().build();
    }

    @GET
    @Path("/clock")
    public Response clock() {
        requireOpen();
        return json(clockJson());
    }

    /** Moves simulated time forward by {@code ?by=PT2M} or {@code {"by":"PT2M"}}; batches follow on their next read. */
    @POST
    @Path("/clock/advance")
    @Consumes(MediaType.WILDCARD)
    public Response advance(@QueryParam("by") String byParam, String body) {
        requireOpen();
        String by = byParam;
        if (by == null && body != null && !body.isBlank()) {
            by = parse(body).path("by").asText(null);
        }
        try {
            clock.advance(Duration.parse(by == null ? "" : by));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return problem("'by' must be a positive ISO-8601 duration such as PT2M");
        }
        return json(clockJson());
    }

    private ObjectNode clockJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("now", clock.instant().toString());
        o.put("offset", clock.offset().toString());
        return o;
    }

    private void requireOpen() {
        if (!guard.open()) {
            throw new NotFoundException();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(problem("The body is not valid JSON"));
        }
    }

    private static Response json(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON).build();
    }

    private static Response problem(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(JsonNodeFactory.instance.objectNode().put("error", message)).build();
    }
}
