package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Keys;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TopicTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumes the compacted {@code apex.prompts} topic; produces the texts of a request that names its prompt by
 * reference (claim check: the planner's {@code GenerationRequested} carries the prompt's id and version, not its
 * text and 8.7 KB context, so the request topic holds ~1 KB per generation instead of ~10 KB). A version is
 * immutable once published (its key carries the version), so the body built from these texts is the body the
 * planner's own copy would have given: sending it is the same paid request, whichever process builds it.
 * Holds one entry per prompt version, each distinct shared context once.
 */
@ApplicationScoped
public class PromptCatalog {
    private static final Logger LOG = Logger.getLogger(PromptCatalog.class);

    private final DispatcherConfig config;
    private final Map<String, Texts> byVersion = new ConcurrentHashMap<>();
    private final Map<String, String> contexts = new HashMap<>();
    private volatile TopicTail tail;

    /** A prompt version's texts. */
    record Texts(String text, String sharedContext) {
    }

    public PromptCatalog(DispatcherConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        tail = new TopicTail("prompt-catalog", config.bootstrapServers(), List.of(Topics.PROMPTS.name()), this::apply)
                .start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (tail != null) {
            tail.close();
        }
    }

    void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone: versions are never deleted, so nothing to forget
        }
        try {
            PromptIngested p = EventJson.read(r.value(), PromptIngested.class, Set.of());
            remember(p);
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Skipping unreadable record of %s (%d@%d): %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    void remember(PromptIngested p) {
        String context;
        synchronized (contexts) {
            context = p.sharedContext() == null ? null : contexts.computeIfAbsent(p.sharedContext(), c -> c);
        }
        byVersion.put(Keys.versioned(p.promptId(), p.version()), new Texts(p.text(), context));
    }

    /**
     * The request with its texts: as it is when it carries them (a judge request's texts are its own), else from
     * the catalog, read to its end first when the version is not known yet (the planner publishes a prompt before
     * any run can name it, so a version still missing then was never ingested). Empty when it was not. A zero
     * {@code catchUp} looks in what was read so far only (the caller has just had it read to its end).
     */
    public Optional<GenerationRequested> resolve(GenerationRequested r, Duration catchUp) {
        if (!r.textsByReference()) {
            return Optional.of(r);
        }
        String key = Keys.versioned(r.promptId(), r.promptVersion());
        Texts texts = byVersion.get(key);
        if (texts == null && !catchUp.isZero()) {
            tail.awaitCaughtUp(catchUp);
            texts = byVersion.get(key);
        }
        // the catalog holds one instance of each text already: no further sharing to do
        return texts == null ? Optional.empty() : Optional.of(r.withTexts(texts.text(), texts.sharedContext()));
    }
}
