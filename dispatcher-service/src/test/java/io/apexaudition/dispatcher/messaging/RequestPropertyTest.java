package io.apexaudition.dispatcher.messaging;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.HostileRecords;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a dispatcher's topics hold: a request record is decoded into requests whose bodies can be built, or
 * refused with a reason (then parked); a record of apex.batches or apex.runs is taken into the intent registry or
 * skipped, and the registry still answers.
 */
class RequestPropertyTest {
    private final RequestDeserializer deserializer = new RequestDeserializer();

    @Provide
    Arbitrary<byte[]> requests() {
        return HostileRecords.values(GenerationRequested.class, io.apexaudition.events.LaneGroupRequested.class);
    }

    @Provide
    Arbitrary<List<byte[]>> registryRecords() {
        return HostileRecords.values(DispatchIntended.class, BatchSubmitted.class, DispatchSettled.class,
                RunAccepted.class).list().ofMaxSize(8);
    }

    @Property(tries = 1000, seed = "20261201")
    void shouldAdmitEveryRequestRecordAsASendableRequestOrParkItWithAReason(@ForAll("requests") byte[] value) {
        RequestDeserializer.DecodedRequest decoded = deserializer.deserialize(Topics.GENERATION_REQUESTS_OPENAI.name(),
                value);
        String refusal = RequestIntake.refusal(decoded, "openai");
        if (refusal != null) {
            assertThat(refusal).isNotBlank();
            return;
        }
        // every request of the record, a lane group's part holding many: each builds its body
        assertThat(decoded.requests()).isNotEmpty();
        for (GenerationRequested r : decoded.requests()) {
            assertThat(RequestBodies.json(RequestBodies.body(r))).isNotBlank();
            assertThat(LaneGroup.key(r.runId(), r.conditionSlug(), r.attempt())).isNotBlank();
        }
    }

    @Property(tries = 500, seed = "20261201")
    void shouldTakeOrSkipEveryRecordOfTheRunsTopicAndRefuseEveryStateEntryItCannotRead(
            @ForAll("registryRecords") List<byte[]> values) {
        AcceptedRuns runs = new AcceptedRuns(TestDispatcherConfig.openai());
        long offset = 0;
        for (byte[] value : values) {
            runs.apply(new ConsumerRecord<>(Topics.RUNS.name(), 0, offset++, "k", value));
            // an entry of the dispatch state is read whole or refused by name, never half read
            try {
                assertThat(LaneGroupState.read("run-1/4o.t0-6/1", value).groupKey()).isEqualTo("run-1/4o.t0-6/1");
            } catch (LaneGroupState.UnreadableStateException refused) {
                assertThat(refused).hasMessageContaining("run-1/4o.t0-6/1");
            }
        }
        assertThat(runs.isAccepted("run-1")).isIn(true, false);
    }
}
