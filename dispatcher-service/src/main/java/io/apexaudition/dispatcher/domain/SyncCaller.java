package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.Chaos;
import io.apexaudition.core.LogContext;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Consumes the synchronous requests of a lane group (and verify-first calls); produces their intents, results and
 * settlements, paced per model by an {@link AdaptiveLimiter} and committed in few transactions. A call waiting for its
 * permit waits in its model's queue ({@link Starter}), not on a thread: the threads calling are at most the permits.
 *
 * <p>Money rule, with windows and group commit: a call starts only after the transaction holding its
 * {@code DispatchIntended} has committed; each transaction holds the results and settlements of every call that
 * finished since the last one, plus the intents of as many new calls as the window has room for. A result is
 * committed the way {@code commitPaid} always did (an outage is waited out, the same events published again with
 * their deterministic ids), so a bought answer is never lost while the process lives; if it dies, every intent
 * without a settlement ends {@code unknown_outcome} on restart and is never called again. The window bounds how many
 * those can be. A transaction that fails for another reason (a producer fenced by another with its transactional id,
 * the request partition gone to another instance, a refusal) has its paid results and settlements committed once
 * more on their own, at once (a transaction the ledger shares with other lane groups and that fails is tried again
 * caller by caller, so another lane group's failure does not reach them): the new intents that rode with them are
 * given up, but a bought answer is not, while a commit can still land (the publisher starts a new producer for it).
 * Only when that fails too (the partition is another instance's now) do those intents stay without a settlement, to
 * end {@code unknown_outcome} when their group is dispatched again, by this instance or the partition's new owner.
 * The body a call sends is stored ({@code RequestBodyStored}) in its intent's transaction.
 */
final class SyncCaller {
    private static final Logger LOG = Logger.getLogger(SyncCaller.class);
    /** How long a model's starter thread waits for a call before it ends. */
    private static final long STARTER_IDLE_MS = 10_000;

    /** How the caller writes what it does: built and committed by {@link LaneDispatcher}. */
    interface Ledger {
        DispatchIntended intent(GenerationRequested r, DispatchIntended.Kind kind);

        /** What the intent's transaction holds: the intent, and the body the call will send (stored before it). */
        List<Addressed> intended(Prepared p, DispatchIntended intent);

        /** The result of a call and the settlement of its intent. */
        List<Addressed> outcome(Prepared p, DispatchIntended intent, GenerationOutcome outcome);

        /** Commits in one transaction; throws when Kafka does not take it. */
        void commit(List<Addressed> events);

        /** Commits in one transaction, waiting out a Kafka outage: the events hold paid results. */
        void commitPaid(List<Addressed> events);
    }

    private final ProviderClient provider;
    private final Ledger ledger;
    private final DispatcherConfig.Sync config;
    private final int window;
    private final ExecutorService pool;
    private final Map<String, Starter> starters = new ConcurrentHashMap<>();

    SyncCaller(ProviderClient provider, Ledger ledger, DispatcherConfig.Sync config) {
        this.provider = provider;
        this.ledger = ledger;
        this.config = config;
        this.window = config.effectiveWindow();
        // a thread per call that holds its limiter's permit, no more: a call waiting for its permit waits in its
        // model's starter queue, not on a thread of its own (a pool of window x lane groups kept 64 mostly idle
        // stacks resident); idle threads end after a while
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sync-call");
            t.setDaemon(true);
            return t;
        });
    }

    /** The limiter of one model's calls, created at its configured ceiling. */
    AdaptiveLimiter limiterOf(String model) {
        return starterOf(model).limiter;
    }

    private Starter starterOf(String model) {
        return starters.computeIfAbsent(model, m -> new Starter(m, new AdaptiveLimiter(config.concurrencyOf(m)), pool));
    }

    /** How many calls of a model wait for their limiter's permit (their intents committed, nothing sent). */
    int waitingFor(String model) {
        Starter starter = starters.get(model);
        return starter == null ? 0 : starter.queue.size();
    }

    int window() {
        return window;
    }

    /**
     * A finished call: its outcome and what to commit for it, or why it has none (it broke, or never started): its
     * intent then stays in doubt, and the group fails so that its redelivery ends it unknown.
     */
    private record Done(GenerationOutcome outcome, List<Addressed> events, Throwable crashed) {
        Done(GenerationOutcome outcome, List<Addressed> events) {
            this(outcome, events, null);
        }
    }

    /**
     * Calls every request and returns only when no call is still running, even when a commit failed: a caller that
     * tries the group again must not race a call still under way, or it could pay for it twice. Returns normally only
     * when every intent it committed is settled; otherwise it throws, so that the group is dispatched again and its
     * intents left in doubt end {@code unknown_outcome} (a group that ended as dispatched is never read again).
     */
    void callAll(List<GenerationRequested> requests) {
        Deque<GenerationRequested> waiting = new ArrayDeque<>(requests);
        BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        int inFlight = 0;
        Throwable failure = null;
        while (inFlight > 0 || (failure == null && !waiting.isEmpty())) {
            List<Done> finished = new ArrayList<>();
            if (failure != null || waiting.isEmpty() || inFlight >= window) {
                finished.add(take(done));
            }
            done.drainTo(finished);
            // the results and settlements of the calls that finished: paid for
            List<Addressed> paid = new ArrayList<>();
            for (Done d : finished) {
                paid.addAll(d.events());
                if (d.crashed() != null && failure == null) {
                    // a call that broke unexpectedly (it may have gone out) or was interrupted before it went out:
                    // its intent stays in doubt, no new call starts, and the group fails once the calls under way
                    // are committed
                    failure = d.crashed();
                }
            }
            List<Addressed> events = new ArrayList<>(paid);
            int settled = finished.size();
            List<Prepared> opening = new ArrayList<>();
            List<DispatchIntended> intents = new ArrayList<>();
            while (failure == null && !waiting.isEmpty() && inFlight - settled + opening.size() < window) {
                // prepared once per call (body, hash, fingerprint): its intent and its result share it
                Prepared p = Prepared.of(waiting.poll());
                DispatchIntended intent = ledger.intent(p.request(), DispatchIntended.Kind.SYNC);
                opening.add(p);
                intents.add(intent);
                events.addAll(ledger.intended(p, intent));
            }
            try {
                if (!events.isEmpty()) {
                    if (settled > 0 || inFlight > 0) {
                        // paid results ride here, or calls are under way whose results will need the producer
                        ledger.commitPaid(events);
                    } else {
                        ledger.commit(events);
                    }
                }
            } catch (RuntimeException e) {
                // the new intents may or may not have landed: none of their calls starts (if they landed, a
                // redelivery ends them unknown); the calls under way are still waited for. The paid results are
                // not dropped with them: the later commits hold only later results, so these would otherwise end
                // unknown on redelivery though bought and at hand
                failure = failure == null ? e : failure;
                inFlight -= settled;
                commitAgain(paid, e);
                continue;
            }
            inFlight -= settled;
            for (int i = 0; i < opening.size(); i++) {
                Prepared p = opening.get(i);
                DispatchIntended intent = intents.get(i);
                inFlight++;
                Starter starter = starterOf(p.request().model());
                starter.add(new Waiting(p, intent, starter.limiter, done));
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a synchronous call failed: " + failure, failure);
        }
    }

    /**
     * Commits the paid results of a transaction that failed once more, alone (an outage waited out as ever). Not
     * thrown when it fails too: the group fails anyway, with the first failure, once the calls under way are done.
     */
    private void commitAgain(List<Addressed> paid, RuntimeException failed) {
        if (paid.isEmpty()) {
            return;
        }
        try {
            ledger.commitPaid(paid);
            LOG.warnf("A transaction holding paid results failed (%s); they were committed on their own",
                    failed.getMessage());
        } catch (RuntimeException again) {
            LOG.errorf("Paid results could not be committed (%s, then %s): their intents stay without a settlement "
                    + "and end unknown_outcome when the lane group is dispatched again", failed, again);
        }
    }

    /**
     * One call whose intent is committed and whose permit is held: calls, and returns its result and settlement.
     * Never throws: a call that cannot say what became of it ends {@code unknown_outcome}.
     */
    private Done callOnce(Prepared p, DispatchIntended intent, AdaptiveLimiter limiter, AdaptiveLimiter.Permit permit) {
        GenerationOutcome outcome = call(p.request(), limiter, permit);
        // the call is answered (and paid for) but nothing of it is committed yet
        Chaos.haltIf(intent.kind() == DispatchIntended.Kind.VERIFY ? Chaos.DISPATCHER_DURING_VERIFY
                : Chaos.DISPATCHER_DURING_SYNC);
        return new Done(outcome, ledger.outcome(p, intent, outcome));
    }

    /** The paid call itself, its limiter's permit held (the caller gives it back). */
    private GenerationOutcome call(GenerationRequested r, AdaptiveLimiter limiter, AdaptiveLimiter.Permit permit) {
        try {
            return provider.call(RequestBodies.body(r), signal -> limiter.observe(permit, signal));
        } catch (ProviderCallException e) {
            return GenerationOutcome.error(e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            // the call went out and its reply could not be read: it may be billed, so it ends for a person to decide
            LOG.errorf(e, "Synchronous call of %s could not be read back", r.customId());
            return GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, "the reply of this call could not be read ("
                    + e.getClass().getSimpleName() + "); it may have been billed, so it was not sent again: run `apex "
                    + "retry " + r.runId() + "` to send it deliberately");
        }
    }

    /** A verify-first call: its intent committed alone, the call, then its outcome (paid) in one transaction. */
    GenerationOutcome callOne(GenerationRequested r, DispatchIntended.Kind kind) {
        DispatchIntended intent = ledger.intent(r, kind);
        Prepared p = Prepared.of(r);
        ledger.commit(ledger.intended(p, intent));
        AdaptiveLimiter limiter = limiterOf(r.model());
        AdaptiveLimiter.Permit permit;
        try {
            permit = limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the " + kind + " call of " + r.customId(), e);
        }
        Done done;
        try {
            done = callOnce(p, intent, limiter, permit);
        } finally {
            limiter.release(permit);
        }
        ledger.commitPaid(done.events());
        return done.outcome();
    }

    /**
     * A call whose intent is committed, waiting for its model's permit; it reports to its lane group's queue. Built on
     * the lane group's thread, so that the pool's thread logs with its context (run, lane, attempt).
     */
    private final class Waiting {
        private final AdaptiveLimiter limiter;
        private final BlockingQueue<Done> done;
        private final Callable<Done> call;
        /** Set by the starter before the pool runs it (the executor's hand-over publishes it). */
        private AdaptiveLimiter.Permit permitHeld;

        Waiting(Prepared p, DispatchIntended intent, AdaptiveLimiter limiter, BlockingQueue<Done> done) {
            this.limiter = limiter;
            this.done = done;
            this.call = LogContext.carried(() -> callOnce(p, intent, limiter, permitHeld));
        }

        /**
         * What the pool runs, the permit held: the call, its permit given back once however it ended (even if the
         * call never began), then its report: given back before it is reported, so that a lane group that has
         * every report has no permit out.
         */
        Runnable startWith(AdaptiveLimiter.Permit permit) {
            this.permitHeld = permit;
            return () -> {
                Done d;
                try {
                    MDC.clear();
                    d = call.call();
                } catch (Throwable t) {
                    d = new Done(null, List.of(), t);
                } finally {
                    limiter.release(permit);
                }
                done.add(d);
            };
        }

        /** It never started: its intent stays without a call, and its group fails. */
        void crashed(Throwable t) {
            done.add(new Done(null, List.of(), t));
        }
    }

    /**
     * Starts one model's calls in the order their intents were committed, each on a pool thread once the model's
     * limiter gives it a permit: the one thread that waits for the limiter is this one's, started when a call is
     * added and ended once none has come for a while. Static, so that its thread never keeps a caller no longer
     * used, nor what the caller holds (its ledger and producer).
     */
    private static final class Starter implements Runnable {
        private final String model;
        private final AdaptiveLimiter limiter;
        private final ExecutorService pool;
        private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
        /** Whether a thread serves the queue; guarded by this. */
        private boolean running;
        /** The call the serving thread has taken and not yet handed on (read only by that thread). */
        private Waiting inHand;

        Starter(String model, AdaptiveLimiter limiter, ExecutorService pool) {
            this.model = model;
            this.limiter = limiter;
            this.pool = pool;
        }

        synchronized void add(Waiting w) {
            queue.add(w);
            if (running) {
                return;
            }
            try {
                Thread t = new Thread(this, "sync-start " + model);
                t.setDaemon(true);
                t.start();
                running = true;
            } catch (Throwable e) {
                // no thread to start them (out of native threads): the calls waiting never go out, and their groups
                // fail, rather than wait for a thread that is not there
                crashAll(e);
            }
        }

        @Override
        public void run() {
            boolean idle = false;
            Throwable cause = null;
            try {
                // a new thread inherits its creator's log context (a lane group's): this one serves many
                MDC.clear();
                idle = serve();
            } catch (Throwable t) {
                cause = t;
                throw t;
            } finally {
                if (!idle) {
                    // ended by a throwable nothing here foresaw: whatever waits would wait for good
                    synchronized (this) {
                        running = false;
                        crashAll(new IllegalStateException("the starter of " + model + " ended", cause));
                    }
                }
            }
        }

        /** Fails the call in hand and every call queued; called with no thread serving, or by the one ending. */
        private void crashAll(Throwable why) {
            if (inHand != null) {
                Waiting w = inHand;
                inHand = null;
                w.crashed(why);
            }
            for (Waiting never = queue.poll(); never != null; never = queue.poll()) {
                never.crashed(why);
            }
        }

        /** Starts the calls as permits come; returns true once none has come for a while. */
        private boolean serve() {
            while (true) {
                Waiting w;
                try {
                    w = queue.poll(STARTER_IDLE_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // nothing was waiting: no call is concerned
                    continue;
                }
                if (w == null) {
                    synchronized (this) {
                        if (queue.isEmpty()) {
                            running = false;
                            return true;
                        }
                    }
                    continue;
                }
                inHand = w;
                AdaptiveLimiter.Permit permit = null;
                try {
                    permit = limiter.acquire();
                    pool.execute(w.startWith(permit));
                    inHand = null;
                } catch (Throwable e) {
                    // interrupted before the call went out (nothing interrupts this thread today: a defence), or no
                    // thread for it (out of native threads). Its intent is committed and nothing will settle it here:
                    // the group must fail, not end as dispatched, or the offset would pass its records and the intent
                    // would never end. The starter goes on, or the calls queued behind it would wait for good
                    inHand = null;
                    w.crashed(e);
                    if (permit != null) {
                        limiter.release(permit);
                    }
                }
            }
        }
    }

    private static Done take(BlockingQueue<Done> done) {
        try {
            return done.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while synchronous calls were under way", e);
        }
    }
}
