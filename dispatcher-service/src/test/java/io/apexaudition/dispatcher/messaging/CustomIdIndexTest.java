package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.EventIds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CustomIdIndexTest {

    private static String customId(int n, int attempt) {
        return EventIds.customId(EventIds.generationId("run-1", "lane", "p" + n, 1), attempt);
    }

    @Test
    void shouldFindEveryIdItWasGivenAmongManyAndNoOther() {
        // given 200,000 ids over two attempts (the table grows many times)
        CustomIdIndex index = new CustomIdIndex();
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 100_000; n++) {
            ids.add(customId(n, 1));
            ids.add(customId(n, 2));
        }

        // when
        for (int i = 0; i < ids.size(); i++) {
            assertThat(index.put(ids.get(i), i / 700)).isEqualTo(-1);
        }

        // then each maps to its own slot, and an id never given (another prompt, another attempt) to none
        assertThat(index.size()).isEqualTo(200_000);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(index.get(ids.get(i))).isEqualTo(i / 700);
        }
        assertThat(index.get(customId(100_000, 1))).isEqualTo(-1);
        assertThat(index.get(customId(7, 3))).isEqualTo(-1);
    }

    @Test
    void shouldReturnThePreviousSlotWhenAnIdMoves() {
        CustomIdIndex index = new CustomIdIndex();
        String id = customId(1, 1);

        index.put(id, 3);

        assertThat(index.put(id, 5)).isEqualTo(3);
        assertThat(index.get(id)).isEqualTo(5);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepIdsOfAnyOtherFormApartFromTheCompactOnes() {
        // given an id in the compact form and look-alikes that would parse to the same numbers
        CustomIdIndex index = new CustomIdIndex();
        String compact = customId(1, 12);
        String upperCase = compact.substring(0, 33).toUpperCase().replace('G', 'g') + compact.substring(33);
        String leadingZero = compact.substring(0, 35) + "012";

        // when
        index.put(compact, 1);
        index.put(upperCase, 2);
        index.put(leadingZero, 3);
        index.put("hand-made-id", 4);

        // then each string keeps its own slot
        assertThat(CustomIdIndex.isCompact(compact)).isTrue();
        assertThat(CustomIdIndex.isCompact(upperCase)).isFalse();
        assertThat(CustomIdIndex.isCompact(leadingZero)).isFalse();
        assertThat(index.get(compact)).isEqualTo(1);
        assertThat(index.get(upperCase)).isEqualTo(2);
        assertThat(index.get(leadingZero)).isEqualTo(3);
        assertThat(index.get("hand-made-id")).isEqualTo(4);
        assertThat(index.size()).isEqualTo(4);
    }
}
