package io.apexaudition.planner.rest;

import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneProblem;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.LaneValidator;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.PlannerConfig;
import io.apexaudition.planner.domain.Registrar;
import io.apexaudition.planner.messaging.CatalogPublisher;
import io.apexaudition.planner.messaging.CatalogStores;
import io.apexaudition.planner.messaging.PlannerTopology;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers lanes and ingests prompts: validates them, compares them with what is registered, publishes
 * LaneRegistered / PromptIngested for what is new or changed, and answers once the planner's own stores
 * show it (so a run published afterwards sees it). All-or-nothing: one invalid lane registers none.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CatalogResource {
    private static final Logger LOG = Logger.getLogger(CatalogResource.class);
    /** A lane's description is a line or two. */
    static final int MAX_DESCRIPTION_CHARS = 2_000;
    /**
     * A prompt's text and its shared context each: far above a real one (the house style is ~9,000), and low
     * enough that a request carrying both stays well inside a Kafka record.
     */
    static final int MAX_PROMPT_CHARS = 100_000;

    public record LaneRegistration(List<LaneDefinition> lanes) {
    }

    public record PromptIngestion(List<PromptSpec> prompts) {
    }

    public record Problems(String error, List<LaneProblem> problems) {
    }

    private final CatalogStores stores;
    private final CatalogPublisher publisher;
    private final PlannerConfig config;
    private final ModelCatalog catalog = ModelCatalog.bundled();
    private final Clock clock = Clock.systemUTC();

    public CatalogResource(CatalogStores stores, CatalogPublisher publisher, PlannerConfig config) {
        this.stores = stores;
        this.publisher = publisher;
        this.config = config;
    }

    @POST
    @Path("/lanes")
    @AdminOnly
    public Response registerLanes(LaneRegistration request) {
        if (request == null || request.lanes() == null || request.lanes().isEmpty()) {
            return Response.status(400).entity(new Problems("no lanes given: send {\"lanes\": [...]}", List.of()))
                    .build();
        }
        List<String> unusable = new ArrayList<>();
        for (int i = 0; i < request.lanes().size(); i++) {
            LaneDefinition lane = request.lanes().get(i);
            if (lane != null) {
                TextChecks.prose("lanes[" + i + "].description", lane.description(), MAX_DESCRIPTION_CHARS)
                        .ifPresent(unusable::add);
            }
        }
        if (!unusable.isEmpty()) {
            return unusable(unusable, "registered");
        }
        List<LaneProblem> problems = new LaneValidator(catalog).validate(request.lanes());
        if (!problems.isEmpty()) {
            return Response.status(422).entity(new Problems(problems.size() + " problem(s): nothing was registered",
                    problems)).build();
        }
        Map<String, LaneRegistered> current = stores.lanes();
        List<RegistrationResult> results = new ArrayList<>();
        List<String> published = new ArrayList<>();
        for (LaneDefinition lane : request.lanes()) {
            LaneSpec spec = LaneSpec.of(lane, catalog.model(lane.model()).orElseThrow());
            Registrar.LaneDecision decision = Registrar.lane(spec, Optional.ofNullable(current.get(lane.slug())),
                    clock.instant());
            if (decision.outcome() == Registrar.Outcome.REGISTERED) {
                publish(Topics.LANES.name(), decision.event());
                published.add(decision.event().key());
            }
            results.add(new RegistrationResult(lane.slug(), decision.outcome().name().toLowerCase(),
                    decision.event().version(), decision.event().conditionId()));
        }
        awaitVisible(PlannerTopology.LANES_STORE, published);
        return Response.ok(results).build();
    }

    @GET
    @Path("/lanes")
    public List<LaneRegistered> lanes() {
        return stores.lanes().values().stream().sorted(Comparator.comparing(LaneRegistered::slug)).toList();
    }

    @POST
    @Path("/prompts")
    @AdminOnly
    public Response ingestPrompts(PromptIngestion request) {
        if (request == null || request.prompts() == null || request.prompts().isEmpty()) {
            return Response.status(400).entity(new Problems("no prompts given: send {\"prompts\": [...]}", List.of()))
                    .build();
        }
        Map<String, PromptIngested> current = new java.util.HashMap<>();
        stores.prompts().forEach(p -> current.put(p.promptId(), p));
        List<RegistrationResult> results = new ArrayList<>();
        List<String> published = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        for (int i = 0; i < request.prompts().size(); i++) {
            PromptSpec prompt = request.prompts().get(i);
            String at = "prompts[" + i + "].";
            if (prompt == null || prompt.id() == null || prompt.text() == null || prompt.text().isBlank()) {
                unusable.add(at + "id and " + at + "text are required: give each prompt an id and a text");
                continue;
            }
            TextChecks.identifier(at + "id", prompt.id()).ifPresent(unusable::add);
            TextChecks.identifier(at + "title", prompt.title()).ifPresent(unusable::add);
            TextChecks.identifier(at + "genre", prompt.genre()).ifPresent(unusable::add);
            TextChecks.prose(at + "text", prompt.text(), MAX_PROMPT_CHARS).ifPresent(unusable::add);
            TextChecks.prose(at + "sharedContext", prompt.sharedContext(), MAX_PROMPT_CHARS).ifPresent(unusable::add);
        }
        if (!unusable.isEmpty()) {
            return unusable(unusable, "ingested");
        }
        List<PromptIngested> toPublish = new ArrayList<>();
        for (PromptSpec prompt : request.prompts()) {
            Registrar.PromptDecision decision = Registrar.prompt(prompt, Optional.ofNullable(current.get(prompt.id())),
                    clock.instant());
            if (decision.outcome() == Registrar.Outcome.REGISTERED) {
                toPublish.add(decision.event());
                published.add(decision.event().key());
            }
            results.add(new RegistrationResult(prompt.id(), decision.outcome().name().toLowerCase(),
                    decision.event().version(), null));
        }
        // all at once, then every acknowledgement: one round trip per ingestion, not one per prompt
        publisher.publishAll(Topics.PROMPTS.name(), toPublish);
        LOG.infof("Published %d PromptIngested", toPublish.size());
        awaitVisible(PlannerTopology.PROMPTS_STORE, published);
        return Response.ok(results).build();
    }

    @GET
    @Path("/prompts")
    public List<PromptIngested> prompts() {
        return stores.prompts().stream().sorted(Comparator.comparing(PromptIngested::promptId)).toList();
    }

    /** 400 naming every field that cannot be stored as sent and its fix; nothing of the request is kept. */
    private static Response unusable(List<String> problems, String verb) {
        return Response.status(400).entity(new Problems(String.join("; ", problems) + ": nothing was " + verb,
                List.of())).build();
    }

    private void publish(String topic, ApexEvent event) {
        publisher.publish(topic, event);
        LOG.infof("Published %s %s", event.getClass().getSimpleName(), event.key());
    }

    private void awaitVisible(String store, List<String> keys) {
        long deadline = System.nanoTime() + config.registrationVisibleTimeout().toNanos();
        for (String key : keys) {
            while (!stores.contains(store, key)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(key + " was published but the planner's " + store
                            + " store does not show it yet: check the planner's health");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
