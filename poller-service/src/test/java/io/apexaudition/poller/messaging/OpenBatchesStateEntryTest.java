package io.apexaudition.poller.messaging;

import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.ScriptedProviders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restore makes of each entry of apex.open-batches, whatever the entry holds. */
class OpenBatchesStateEntryTest {

    @Test
    void shouldRestoreTheBatchAnEntryHolds() {
        // given an entry a poller wrote
        byte[] value = EventJson.writeBytes(ScriptedProviders.batch("b-ok", "run-state"));

        // when it is read in a restore, then its batch comes back
        assertThat(BatchIntake.stateEntry(entry("b-ok", value)).batch().batchId()).isEqualTo("b-ok");
    }

    @Test
    void shouldNameWhatIsWrongWithAnUnreadableEntryAndTheFixInsteadOfFailingTheWholeRestore() {
        // given entries no poller could have written: malformed JSON, an unknown type, a newer schema, a NUL, an array,
        // an empty value that is not a tombstone, JSON null, and another event than a BatchSubmitted
        for (String garbage : new String[] {"{\"type\":\"BatchSubmitted\", oops", "{\"type\":\"NoSuchEvent\"}",
                "{\"type\":\"BatchSubmitted\",\"schemaVersion\":99,\"batchId\":\"b\"}", "\u0000", "[1,2]", "", "null",
                EventJson.write(new BatchStatusChanged("s-b-bad", 1,
                        Instant.now(), "b-bad", "openai", "run", "in_progress", false, null, null))}) {
            // when each is read in a restore
            BatchIntake.Reading reading = BatchIntake.stateEntry(entry("b-bad", garbage.getBytes(StandardCharsets.UTF_8)));

            // then it holds no batch, and what is wrong comes back with where it is and the fix, without a throw
            assertThat(reading.batch()).as(garbage).isNull();
            assertThat(reading.problem()).as(garbage).contains("offset 7").contains("not polled")
                    .contains("a tombstone under its key in that partition");
        }
    }

    private static ConsumerRecord<String, byte[]> entry(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.OPEN_BATCHES.name(), 0, 7L, key, value);
    }
}
