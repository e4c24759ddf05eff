package io.apexaudition.poller.health;

import io.apexaudition.events.ErrorKind;
import io.apexaudition.providers.ProviderCallException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PollerHealthTest {
    private final PollerHealth health = new PollerHealth();

    @Test
    void shouldNameABatchThatFailedTheSameWayThreeTimesInARowAndStayReady() {
        ProviderCallException outage = new ProviderCallException(503, ErrorKind.SERVER, "OpenAI 503: overloaded");

        health.failed("batch_1", "openai batch batch_1 of run r", outage);
        health.failed("batch_1", "openai batch batch_1 of run r", outage);
        assertThat(health.repeatedFailures()).isEmpty();
        health.failed("batch_1", "openai batch batch_1 of run r", outage);

        HealthCheckResponse ready = new RepeatedFailuresCheck(health).call();
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getData()).hasValueSatisfying(data -> assertThat(data.get("batch_1")).asString()
                .contains("openai batch batch_1 of run r: failed 3 times in a row since")
                .contains("ProviderCallException: OpenAI 503: overloaded"));
    }

    @Test
    void shouldStartCountingAgainWhenABatchFailsAnotherWayOrGoesThrough() {
        ProviderCallException outage = new ProviderCallException(503, ErrorKind.SERVER, "OpenAI 503: overloaded");
        health.failed("batch_1", "b1", outage);
        health.failed("batch_1", "b1", outage);
        health.failed("batch_1", "b1", new IllegalStateException("Kafka refused 3 event(s) for good"));
        health.failed("batch_1", "b1", outage);
        health.failed("batch_2", "b2", outage);
        health.failed("batch_2", "b2", outage);
        health.failed("batch_2", "b2", outage);
        health.succeeded("batch_2");
        health.failed("batch_3", "b3", outage);
        health.failed("batch_3", "b3", outage);
        health.failed("batch_3", "b3", outage);
        health.retain(Set.of("batch_1", "batch_2"));

        assertThat(health.repeatedFailures()).isEmpty();
    }

    @Test
    void shouldGoDownForGoodNamingTheErrorAndTheBatchWhenAThreadStops() {
        assertThat(new PollerLivenessCheck(health).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        health.stopped("batch-poller", new OutOfMemoryError("Java heap space"), "openai batch batch_9 of run r");
        health.stopped("open-batches", new StackOverflowError(), "record apex.batches-0@3");

        HealthCheckResponse live = new PollerLivenessCheck(health).call();
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(live.getData().orElseThrow().get("stopped")).isEqualTo("batch-poller stopped on "
                + "java.lang.OutOfMemoryError: Java heap space while handling openai batch batch_9 of run r");
    }

    @Test
    void shouldGoDownWhenAWatchedThreadEndedWithoutAReportButNotWhileShuttingDown() throws InterruptedException {
        Thread ended = new Thread(() -> { }, "batch-poller");
        health.watch(ended);
        ended.start();
        ended.join();

        HealthCheckResponse live = new PollerLivenessCheck(health).call();
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(live.getData().orElseThrow().get("stopped")).asString()
                .startsWith("batch-poller stopped on an end without a report");

        PollerHealth stopping = new PollerHealth();
        stopping.watch(ended);
        stopping.shuttingDown();
        assertThat(new PollerLivenessCheck(stopping).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
