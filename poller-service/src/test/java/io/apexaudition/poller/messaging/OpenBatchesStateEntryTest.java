package io.apexaudition.poller.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.ScriptedProviders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restore makes of each entry of apex.open-batches, whatever the entry holds. */
class OpenBatchesStateEntryTest {

    @Test
    void shouldRestoreTheBatchAnEntryHolds() {
        // given an entry a poller wrote
        byte[] value = EventJson.writeBytes(ScriptedProviders.batch("b-ok", "run-state"));

        // when it is read in a restore, then its batch comes back
        assertThat(BatchIntake.stateEntry(entry("b-ok", value)).batchId()).isEqualTo("b-ok");
    }

    @Test
    void shouldSkipAnUnreadableEntryInsteadOfFailingTheWholeRestore() {
        // given entries no poller could have written: malformed JSON, an unknown type, a newer schema, a NUL
        for (String garbage : new String[] {"{\"type\":\"BatchSubmitted\", oops", "{\"type\":\"NoSuchEvent\"}",
                "{\"type\":\"BatchSubmitted\",\"schemaVersion\":99,\"batchId\":\"b\"}", "\u0000", "[1,2]"}) {
            // when each is read in a restore, then it is skipped (null) and the restore goes on
            assertThat(BatchIntake.stateEntry(entry("b-bad", garbage.getBytes(StandardCharsets.UTF_8))))
                    .as(garbage).isNull();
        }
    }

    private static ConsumerRecord<String, byte[]> entry(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.OPEN_BATCHES.name(), 0, 7L, key, value);
    }
}
