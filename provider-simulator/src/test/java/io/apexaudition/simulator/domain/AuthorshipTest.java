package io.apexaudition.simulator.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorshipTest {

    @Test
    void shouldKnowWhoWroteATextWhateverItsLineEndsAndSurroundingSpace() {
        Authorship authorship = new Authorship();
        authorship.remember("Title\n\nFirst line.\nSecond line.", "gpt-5");

        assertThat(authorship.writer("  Title\r\n\r\nFirst line.\r\nSecond line.\n")).contains("gpt-5");
        assertThat(authorship.writer("Title\n\nFirst line. Second line.")).isEmpty();
    }

    @Test
    void shouldForgetTheOldestTextsBeyondItsCapacity() {
        // given room for four texts (two generations of two)
        Authorship authorship = new Authorship(4);

        // when six are written
        for (int i = 1; i <= 6; i++) {
            authorship.remember("text " + i, "o3");
        }

        // then the first two are forgotten and the last four known
        assertThat(authorship.writer("text 1")).isEmpty();
        assertThat(authorship.writer("text 2")).isEmpty();
        for (int i = 3; i <= 6; i++) {
            assertThat(authorship.writer("text " + i)).as("text %d", i).contains("o3");
        }
    }

    @Test
    void shouldForgetEverythingWhenCleared() {
        Authorship authorship = new Authorship();
        authorship.remember("a piece", "gpt-4o");

        authorship.clear();

        assertThat(authorship.writer("a piece")).isEmpty();
    }
}
