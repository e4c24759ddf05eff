package io.apexaudition.dispatcher.domain;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.providers.ListedBatch;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.SubmittedBatch;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settles with the provider's listing what a batch intent left in doubt (a crash between intent and record, or a
 * create without a clear answer). Money rule: an intent is concluded {@code NOT_CREATED}, and its requests may go
 * out again, only on a listing read at least the consistency window after the last create attempt; one the listing
 * shows is claimed here, so that no other intent is matched to its batch, until its lane group records it. Matched by
 * count (Anthropic), with dispatchers of the provider creating side by side: a batch is taken for an intent only when
 * no other open intent of the same size, whichever dispatcher owns it, could own that batch; while one could, nothing
 * is concluded either way (docs/reliability.md, section 2).
 */
final class InDoubtReconciler {
    private static final Logger LOG = Logger.getLogger(InDoubtReconciler.class);
    /** Wider than the skew a count-matched listing allows between an intent and its batch (CLOCK_SKEW, 5 s). */
    private static final Duration CLAIMS_LOOK_BACK = Duration.ofMinutes(1);

    /** What a reconciliation concludes, committed by the dispatcher (which holds the ledger and the bodies). */
    interface Conclusions {
        /** The listing, read late enough, shows no batch for the intent: nothing was created or billed. */
        void notCreated(DispatchIntended intent);

        /** No answer within the in-doubt timeout: left for a person, never sent again. */
        void unresolved(DispatchIntended intent, String message);
    }

    private final ProviderClient provider;
    private final DispatchLedger ledger;
    private final DispatcherConfig config;
    private final Clock clock;
    private final Conclusions conclusions;
    /**
     * When this process last tried to create each intent's batch, or first met an intent whose create it never tried:
     * that create (a previous life's, or another instance's whose request partition came here) happened before.
     */
    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    /**
     * Intents in doubt of lane groups not at hand, whose batch the listing shows: claimed here so that no other
     * intent is matched to it, and recorded when their group arrives (their requests carry what the record needs).
     */
    private final Map<String, SubmittedBatch> adopted = new ConcurrentHashMap<>();

    InDoubtReconciler(ProviderClient provider, DispatchLedger ledger, DispatcherConfig config, Clock clock,
                      Conclusions conclusions) {
        this.provider = provider;
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
        this.conclusions = conclusions;
    }

    /**
     * Intents whose create this process has under way (from before their intent commits until their batch is recorded
     * or they are settled): in doubt to the ledger, but not to {@link #reconcileAll}, which leaves them to the thread
     * creating them.
     */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    /** The intent is about to be committed and its batch created by the calling thread, which sees it through. */
    void createStarting(String intentId) {
        creating.add(intentId);
    }

    /**
     * The intent's create is seen through (recorded or settled), or its thread gave up on it. When it was tried is
     * forgotten too, so that the times kept are those of what is open, not of every batch ever created: forgetting one
     * is always safe, since an intent met again in doubt counts its window from then, later than its create.
     */
    void createEnded(String intentId) {
        creating.remove(intentId);
        createdAt.remove(intentId);
    }

    /** A create of the intent's batch is starting, or just gave up: the listing's consistency window counts from now. */
    void createAttempted(String intentId) {
        createdAt.put(intentId, clock.instant());
    }

    /** The batch the listing showed for an intent in doubt, until its lane group records it. */
    Optional<SubmittedBatch> adopted(String intentId) {
        return Optional.ofNullable(adopted.get(intentId));
    }

    /** The adopted batch is recorded: forgotten only now, so a failed commit never turns it back into a question. */
    void recorded(String intentId) {
        adopted.remove(intentId);
        createdAt.remove(intentId);
    }

    /** How many intents' create times are kept: those of creates under way, of intents in doubt and of adopted ones. */
    int createTimesKept() {
        return createdAt.size();
    }

    /**
     * Reconciles every batch intent of this provider in doubt, oldest first: one the listing shows is claimed
     * (recorded when its lane group is at hand), one it positively lacks is settled {@code NOT_CREATED} (its requests
     * go out under a new intent), one it cannot resolve in time is settled {@code UNKNOWN_OUTCOME}. An intent whose
     * create this process has under way is left to the thread creating it.
     */
    synchronized void reconcileAll() {
        List<DispatchIntended> inDoubt = ledger.inDoubtBatchIntents();
        // met now, all of them: the listing's window runs once for them all, not once per intent in turn. Not a create
        // under way: its own thread sets its time when the create ends, and an earlier one would open its window early
        Instant now = clock.instant();
        inDoubt.stream().filter(intent -> !creating.contains(intent.intentId()))
                .forEach(intent -> createdAt.putIfAbsent(intent.intentId(), now));
        for (DispatchIntended intent : inDoubt) {
            if (adopted.containsKey(intent.intentId()) || creating.contains(intent.intentId())) {
                continue;
            }
            if (!stillInDoubt(intent)) {
                // the list was read before the reconciliations ahead of this one, which can take minutes: a create
                // under way then may have been recorded (or settled) since, and must not be concluded again. The set
                // is read before the ledger: a create's thread commits before it leaves the set, so an intent out of
                // the set here has what it committed in the ledger already
                createdAt.remove(intent.intentId());
                continue;
            }
            try {
                Optional<SubmittedBatch> found = reconcile(intent);
                if (found.isPresent()) {
                    LOG.infof("Intent %s (lane %s of run %s) in doubt is batch %s", intent.intentId(),
                            intent.conditionSlug(), intent.runId(), found.get().batchId());
                    adopted.put(intent.intentId(), found.get());
                } else {
                    LOG.infof("Intent %s (lane %s of run %s) never reached the provider: its requests go out again",
                            intent.intentId(), intent.conditionSlug(), intent.runId());
                    conclusions.notCreated(intent);
                    createdAt.remove(intent.intentId());
                }
            } catch (Unresolved unresolved) {
                conclusions.unresolved(intent, unresolved.getMessage());
                createdAt.remove(intent.intentId());
            }
        }
    }

    /**
     * Still held here and still open. An intent no longer held went with its partition to another instance, which
     * restores it and reconciles it there: asking here would only wait on the listing, and could claim its batch.
     */
    private boolean stillInDoubt(DispatchIntended intent) {
        return ledger.intent(intent.intentId()).isPresent() && !ledger.isSubmitted(intent.intentId())
                && ledger.settlement(intent.intentId()).isEmpty();
    }

    /**
     * Asks the listing whether an intent's batch exists, with backoff, until it answers for sure: present, or
     * absent in a listing read at least the consistency window after the last create attempt. A match by count that
     * another open intent could also claim is neither (see {@link #ask}). Gives up with {@link Unresolved} after the
     * in-doubt timeout.
     */
    Optional<SubmittedBatch> reconcile(DispatchIntended intent) {
        SubmittedBatch known = adopted.get(intent.intentId());
        if (known != null) {
            return Optional.of(known);
        }
        // not from this process's start: a partition taken over from another instance brings intents whose creates
        // may have happened moments ago, not yet in the listing
        Instant trustedFrom = createdAt.computeIfAbsent(intent.intentId(), id -> clock.instant())
                .plus(config.listingConsistency());
        Instant deadline = clock.instant().plus(config.inDoubtTimeout());
        long backoffMs = 1000;
        while (true) {
            Instant asked = clock.instant();
            String why;
            Ambiguous ambiguous = null;
            if (!provider.matchesExactly() && asked.isBefore(trustedFrom)) {
                // matched by count: a batch created before ours but not listed yet would be taken for ours
                why = "an Anthropic listing is matched by request count, and is read only once every batch created "
                        + "so far can be in it (" + config.listingConsistency().toSeconds() + " s after the create)";
            } else {
                try {
                    Answer answer = ask(intent);
                    ambiguous = answer.ambiguous();
                    if (ambiguous == null && (answer.found().isPresent() || !asked.isBefore(trustedFrom))) {
                        return answer.found();
                    }
                    why = ambiguous != null ? ambiguous.why()
                            : "the listing does not show it yet, and a create may take up to "
                            + config.listingConsistency().toSeconds() + " s to appear there";
                } catch (ProviderCallException e) {
                    why = "the listing failed: " + e.getMessage();
                } catch (LaneGroupState.UnreadableStateException e) {
                    why = "the intents other dispatchers left open cannot all be read: " + e.getMessage();
                }
            }
            Instant now = clock.instant();
            if (now.isAfter(deadline)) {
                throw new Unresolved("the batch of intent " + intent.intentId() + " could not be confirmed or ruled out "
                        + "within " + config.inDoubtTimeout().toMinutes() + " min (" + why + "). It was not sent "
                        + "again, to avoid paying twice: " + (ambiguous != null ? ambiguous.whatToCheck(intent)
                        : "check the provider's console for a batch of " + intent.customIds().size()
                        + " requests created around " + intent.occurredAt() + ", then run `apex retry "
                        + intent.runId() + "` if there is none"));
            }
            long untilTrusted = Math.max(0, Duration.between(now, trustedFrom).toMillis());
            long waitMs = untilTrusted > 0 && untilTrusted < backoffMs ? untilTrusted + 50 : backoffMs;
            LOG.infof("Intent %s in doubt: %s; asking again in %d ms", intent.intentId(), why, waitMs);
            sleep(waitMs);
            backoffMs = Math.min(backoffMs * 2, 30_000);
        }
    }

    /**
     * One look at the listing, then at what every dispatcher of this provider recorded and left open, in that order:
     * a batch the listing showed was created after its intent committed, so what is read after it holds that intent,
     * open, or its batch, recorded. An exact match (OpenAI's tag) needs nothing more. A match by count takes the
     * earliest batch no other intent claimed, unless another open intent of the same size (any instance's: one being
     * created right now, or in doubt) could own it, that is was written no later than the batch's creation plus the
     * clocks' skew: then the answer is ambiguous, and it is asked again once that intent is recorded or settled.
     * Nothing listed is "not created" only when no open intent of the same size was written within the look-back of
     * this one either.
     */
    private Answer ask(DispatchIntended intent) {
        int count = intent.customIds().size();
        List<ListedBatch> listed = provider.candidates(intent.intentId(), writtenAt(intent), count);
        if (provider.matchesExactly()) {
            return new Answer(listed.stream().findFirst().map(ListedBatch::submitted), null);
        }
        DispatchLedger.ProviderWide wide = ledger.providerWide();
        Set<String> claimed = claimedExcept(intent);
        claimed.addAll(wide.recordedBatchIds());
        List<DispatchIntended> rivals = wide.openBatchIntents().stream()
                .filter(k -> !k.intentId().equals(intent.intentId()) && k.customIds().size() == count
                        && !adopted.containsKey(k.intentId()))
                .toList();
        Optional<ListedBatch> earliest = listed.stream().filter(b -> !claimed.contains(b.batchId())).findFirst();
        if (earliest.isPresent()) {
            ListedBatch batch = earliest.get();
            // an intent written more than the skew after a batch was created cannot be that batch's
            Instant latestOwner = batch.createdAt().plus(ProviderClient.CLOCK_SKEW);
            return rivals.stream().filter(k -> !writtenAt(k).isAfter(latestOwner)).findFirst()
                    .map(k -> new Answer(Optional.empty(), new Ambiguous(k, batch)))
                    .orElseGet(() -> new Answer(Optional.of(batch.submitted()), null));
        }
        return rivals.stream()
                .filter(k -> Duration.between(writtenAt(intent), writtenAt(k)).abs().compareTo(CLAIMS_LOOK_BACK) <= 0)
                .findFirst()
                .map(k -> new Answer(Optional.empty(), new Ambiguous(k, null)))
                .orElseGet(() -> new Answer(Optional.empty(), null));
    }

    private static Instant writtenAt(DispatchIntended intent) {
        return intent.occurredAt() == null ? Instant.EPOCH : intent.occurredAt();
    }

    /** What one look found: the intent's batch, nothing, or an ambiguity (then neither). */
    private record Answer(Optional<SubmittedBatch> found, Ambiguous ambiguous) {
    }

    /** Another open intent of the same size that could own the earliest unclaimed batch (or, none listed, be ours). */
    private record Ambiguous(DispatchIntended other, ListedBatch batch) {
        String why() {
            String them = "intent " + other.intentId() + " (lane " + other.conditionSlug() + " of run " + other.runId()
                    + ", " + other.customIds().size() + " requests, written " + other.occurredAt() + ") is open too: "
                    + "being created by another dispatcher, or in doubt";
            return batch != null
                    ? "the listing's batch " + batch.batchId() + " (created " + batch.createdAt() + ") has as many "
                    + "requests, and " + them + "; a count cannot tell whose it is until that intent is recorded or "
                    + "settled"
                    : "no unclaimed batch of this size is listed, but " + them + ", written within "
                    + CLAIMS_LOOK_BACK.toMinutes() + " min of this one; nothing is concluded until it is recorded or "
                    + "settled";
        }

        String whatToCheck(DispatchIntended intent) {
            return "in the provider's console, find which batch of " + intent.customIds().size() + " requests "
                    + "created around " + intent.occurredAt() + " holds this lane's custom ids (its results name them)"
                    + (batch == null ? "" : ": batch " + batch.batchId() + " may be this lane's or lane "
                    + other.conditionSlug() + "'s (intent " + other.intentId() + ")")
                    + "; run `apex retry " + intent.runId() + "` only if none does";
        }
    }

    /**
     * Batch ids no intent but this one may be matched to: those recorded since shortly before it was written (a
     * listing matched by count looks only at batches created after the intent, less the clocks' skew), and those
     * claimed in doubt.
     */
    Set<String> claimedExcept(DispatchIntended intent) {
        Instant since = writtenAt(intent).minus(CLAIMS_LOOK_BACK);
        Set<String> claimed = new HashSet<>(ledger.claimedBatchIds(since));
        adopted.forEach((id, batch) -> {
            if (!id.equals(intent.intentId())) {
                claimed.add(batch.batchId());
            }
        });
        return claimed;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling with the provider", e);
        }
    }

    /** A reconciliation that ran out of time without an answer. */
    static final class Unresolved extends RuntimeException {
        Unresolved(String message) {
            super(message);
        }
    }
}
