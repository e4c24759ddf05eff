package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The requests of a lane group (run, lane, attempt) in one record: what the planner publishes (issue 18, item 2: the
 * lane, not the generation, as the unit of dispatch). What the requests share (the run, the lane's settings, the
 * mode) is written once; each {@link Item} says what is its own (ids, prompt version, replicate, and the texts and
 * subject of a judge request). A large group goes as several parts, each bounded ({@link #pack}); the dispatcher
 * gathers a group's requests from its parts by count ({@code laneGenerations}) as it would from single requests, and
 * every reader sees exactly the {@link GenerationRequested}s that were packed ({@link #requests()}).
 */
public record LaneGroupRequested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        int attempt,
        String conditionId,
        String conditionSlug,
        String provider,
        String model,
        String apiModelId,
        LaneParameters parameters,
        RunMode mode,
        boolean verifyFirst,
        boolean dryRun,
        boolean cache,
        int laneGenerations,
        List<Item> generations) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;
    /** Requests per part: a 2,000-prompt lane goes as a few records of a few hundred kilobytes before compression. */
    public static final int MAX_ITEMS = 1_000;
    /**
     * Characters of carried texts per part (judge requests carry theirs): at most six bytes each in the record (a
     * control character escaped as a six-character unicode escape; three for any other UTF-8 character), so under 6 MB of the
     * {@link Topics#MAX_MESSAGE_BYTES} with the rest of the record (ids and judge subjects, a few hundred bytes per
     * request). A single request over it goes alone in its part.
     */
    public static final long MAX_TEXT_CHARS = 1_000_000;

    /** One request of the group: what is not shared with the others. */
    public record Item(
            String eventId,
            String generationId,
            String promptId,
            int promptVersion,
            String promptText,
            String sharedContext,
            int replicate,
            JudgeSubject judging) {
    }

    @JsonCreator
    public LaneGroupRequested {
        // a null item is kept for EventChecks to name (List.copyOf would refuse it with a bare exception)
        generations = generations == null ? List.of()
                : java.util.Collections.unmodifiableList(new ArrayList<>(generations));
    }

    @Override
    public String key() {
        return Keys.lane(runId, conditionSlug);
    }

    /** The requests this part carries, in the order they were packed, each equal to the one packed. */
    public List<GenerationRequested> requests() {
        List<GenerationRequested> requests = new ArrayList<>(generations.size());
        for (Item i : generations) {
            requests.add(i == null ? null : new GenerationRequested(i.eventId(), schemaVersion, occurredAt, runId,
                    i.generationId(), attempt, conditionId, conditionSlug, provider, model, apiModelId, parameters,
                    i.promptId(), i.promptVersion(), i.promptText(), i.sharedContext(), i.replicate(), mode,
                    verifyFirst, dryRun, cache, laneGenerations, i.judging()));
        }
        return requests;
    }

    /** How many requests this part carries. */
    @JsonIgnore
    public int size() {
        return generations.size();
    }

    /**
     * The requests packed into parts, in their order: consecutive requests that share everything but their own items
     * (the same lane group, settings, time and schema version) go into one part, up to {@link #MAX_ITEMS} of them and
     * {@link #MAX_TEXT_CHARS} of carried texts. Expanding the parts in order gives back the same list. A part's event
     * id is derived from its first and last request's, so packing the same requests again names the same parts.
     */
    public static List<LaneGroupRequested> pack(List<GenerationRequested> requests) {
        return pack(requests, MAX_ITEMS, MAX_TEXT_CHARS);
    }

    static List<LaneGroupRequested> pack(List<GenerationRequested> requests, int maxItems, long maxTextChars) {
        List<LaneGroupRequested> parts = new ArrayList<>();
        pack(requests, maxItems, maxTextChars, parts::add);
        return parts;
    }

    /**
     * {@link #pack(List)}, each part handed to {@code sink} as soon as it is complete: a 100,000-request run (whose
     * requests the planner builds as they are read) is never held whole.
     */
    public static void pack(Iterable<GenerationRequested> requests, Consumer<LaneGroupRequested> sink) {
        pack(requests, MAX_ITEMS, MAX_TEXT_CHARS, sink);
    }

    static void pack(Iterable<GenerationRequested> requests, int maxItems, long maxTextChars,
                     Consumer<LaneGroupRequested> sink) {
        List<GenerationRequested> part = new ArrayList<>();
        long chars = 0;
        for (GenerationRequested r : requests) {
            long own = length(r.promptText()) + length(r.sharedContext());
            if (!part.isEmpty() && (part.size() >= maxItems || chars + own > maxTextChars
                    || !sameGroup(part.get(0), r))) {
                sink.accept(of(part));
                part = new ArrayList<>();
                chars = 0;
            }
            part.add(r);
            chars += own;
        }
        if (!part.isEmpty()) {
            sink.accept(of(part));
        }
    }

    private static LaneGroupRequested of(List<GenerationRequested> part) {
        GenerationRequested first = part.get(0);
        GenerationRequested last = part.get(part.size() - 1);
        List<Item> items = new ArrayList<>(part.size());
        for (GenerationRequested r : part) {
            items.add(new Item(r.eventId(), r.generationId(), r.promptId(), r.promptVersion(), r.promptText(),
                    r.sharedContext(), r.replicate(), r.judging()));
        }
        return new LaneGroupRequested(EventIds.nameUuid("LaneGroupRequested", String.valueOf(first.eventId()),
                String.valueOf(last.eventId()), Integer.toString(part.size())), first.schemaVersion(),
                first.occurredAt(), first.runId(), first.attempt(), first.conditionId(), first.conditionSlug(),
                first.provider(), first.model(), first.apiModelId(), first.parameters(), first.mode(),
                first.verifyFirst(), first.dryRun(), first.cache(), first.laneGenerations(), items);
    }

    /** Whether two requests differ only in what an {@link Item} holds. */
    private static boolean sameGroup(GenerationRequested a, GenerationRequested b) {
        return a.schemaVersion() == b.schemaVersion() && Objects.equals(a.occurredAt(), b.occurredAt())
                && Objects.equals(a.runId(), b.runId()) && a.attempt() == b.attempt()
                && Objects.equals(a.conditionId(), b.conditionId())
                && Objects.equals(a.conditionSlug(), b.conditionSlug()) && Objects.equals(a.provider(), b.provider())
                && Objects.equals(a.model(), b.model()) && Objects.equals(a.apiModelId(), b.apiModelId())
                && Objects.equals(a.parameters(), b.parameters()) && a.mode() == b.mode()
                && a.verifyFirst() == b.verifyFirst() && a.dryRun() == b.dryRun() && a.cache() == b.cache()
                && a.laneGenerations() == b.laneGenerations();
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }
}
