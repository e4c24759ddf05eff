package io.apexaudition.testsupport;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventChecks;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunRequested;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every consumer reads records through {@link EventJson}: whatever a topic holds, it must come back as an event a
 * consumer can act on (every id it keys on present) or be refused with a reason, never with another exception.
 */
class EventJsonPropertyTest {

    @Provide
    Arbitrary<byte[]> anyRecord() {
        // every kind of event there is, so a new one is covered the day it is added
        @SuppressWarnings("unchecked")
        Class<? extends ApexEvent>[] kinds = (Class<? extends ApexEvent>[]) ApexEvent.class.getPermittedSubclasses();
        return HostileRecords.values(kinds);
    }

    @Property(tries = 2000, seed = "20261201")
    void shouldReadEveryRecordAsACompleteEventOrRefuseItWithAReason(@ForAll("anyRecord") byte[] value) {
        // every set a reader uses: none, each alone (the recorder's, the planner's progress), all
        for (var skip : java.util.List.of(EnumSet.noneOf(EventJson.Skip.class), EnumSet.of(EventJson.Skip.SHARED_CONTEXT),
                EnumSet.of(EventJson.Skip.OUTPUT_TEXT), EnumSet.allOf(EventJson.Skip.class))) {
            try {
                ApexEvent event = EventJson.read(value, skip);
                assertThat(event).isNotNull();
                assertThat(EventChecks.problems(event)).isEmpty();
            } catch (EventJson.UnreadableEventException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 1000, seed = "20261201")
    void shouldReadEveryRunCommandOrRefuseItWithAReason(@ForAll("anyRecord") byte[] value) {
        try {
            ApexEvent command = EventJson.readCommand(value == null ? null : new String(value, StandardCharsets.UTF_8));
            assertThat(command).isInstanceOfAny(RunRequested.class, RetryRequested.class, JudgingRequested.class);
        } catch (EventJson.UnreadableEventException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
