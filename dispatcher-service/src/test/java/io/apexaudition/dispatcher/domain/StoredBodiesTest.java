package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoredBodiesTest {
    private static final Instant AT = Instant.parse("2026-12-02T00:00:00Z");

    private static Addressed body(String json) {
        return new Addressed(Topics.REQUEST_BODIES, RequestBodyStored.of(json, AT));
    }

    private static Addressed intent(String id) {
        return new Addressed(Topics.BATCHES, new DispatchIntended("e-" + id, 1, AT, id, "openai", "run-1", "4o",
                "gpt-4o", DispatchIntended.Kind.SYNC, 0, List.of("c-" + id)));
    }

    @Test
    void shouldSendEachBodyOnceAndForgetNothingThatWasNotCommitted() {
        // given a transaction holding a body twice (replicates) next to its intents
        StoredBodies stored = new StoredBodies(StoredBodies.DEFAULT_CAPACITY);
        List<Addressed> first = List.of(body("{\"a\":1}"), intent("i1"), body("{\"a\":1}"), intent("i2"));

        // when it is prepared, then the body goes out once and the intents all go
        List<Addressed> sending = stored.withoutKnown(first);
        assertThat(sending).hasSize(3);

        // and until that transaction committed, the body is not taken as stored (a failed commit sends it again)
        assertThat(stored.stored(RequestBodyStored.hashOf("{\"a\":1}"))).isFalse();
        assertThat(stored.withoutKnown(first)).hasSize(3);

        // and once it committed, the next transaction leaves it out
        stored.committed(sending);
        assertThat(stored.stored(RequestBodyStored.hashOf("{\"a\":1}"))).isTrue();
        assertThat(stored.withoutKnown(List.of(body("{\"a\":1}"), intent("i3"))))
                .extracting(a -> a.event().getClass().getSimpleName()).containsExactly("DispatchIntended");
    }

    @Test
    void shouldSendALongTextOnceAndAgainUntilATransactionHoldingItCommitted() {
        // given two transactions' worth of cut bodies naming one long text, the text before each body
        StoredBodies stored = new StoredBodies(StoredBodies.DEFAULT_CAPACITY);
        Addressed text = new Addressed(Topics.REQUEST_BODIES, LongTextStored.of("House style", AT));
        List<Addressed> first = List.of(text, body("{\"a\":1}"), text, body("{\"a\":2}"), intent("i1"));

        // when the first is prepared, then the text goes out once in it
        List<Addressed> sending = stored.withoutKnown(first);
        assertThat(sending).extracting(a -> a.event().getClass().getSimpleName())
                .containsExactly("LongTextStored", "RequestBodyStored", "RequestBodyStored", "DispatchIntended");

        // and until that transaction committed, the next one still carries it (a failed commit took it away)
        List<Addressed> second = List.of(text, body("{\"a\":3}"), intent("i2"));
        assertThat(stored.withoutKnown(second)).hasSize(3);

        // and once it committed, the next transaction leaves it out
        stored.committed(sending);
        assertThat(stored.stored(text.event().key())).isTrue();
        assertThat(stored.withoutKnown(second)).extracting(a -> a.event().getClass().getSimpleName())
                .containsExactly("RequestBodyStored", "DispatchIntended");
    }

    @Test
    void shouldKeepOnlyTheMostRecentHashesSoItsMemoryIsBounded() {
        // given a set of three that stored four bodies, the first of them used again after the second
        StoredBodies stored = new StoredBodies(3);
        stored.committed(List.of(body("1"), body("2")));
        assertThat(stored.stored(RequestBodyStored.hashOf("1"))).isTrue();
        stored.committed(List.of(body("3"), body("4")));

        // then the least recently used one is forgotten (and would simply be stored again)
        assertThat(stored.stored(RequestBodyStored.hashOf("2"))).isFalse();
        assertThat(stored.stored(RequestBodyStored.hashOf("1"))).isTrue();
        assertThat(stored.stored(RequestBodyStored.hashOf("4"))).isTrue();
    }
}
