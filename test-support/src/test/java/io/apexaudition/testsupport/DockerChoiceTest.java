package io.apexaudition.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Testcontainers only when asked for: a Docker engine that answers must not change which broker the tests get. */
class DockerChoiceTest {

    @Test
    void shouldUseTestcontainersOnlyWhenTheSettingSaysTrue() {
        assertThat(Docker.requested("true")).isTrue();
        assertThat(Docker.requested(" TRUE ")).isTrue();
        assertThat(Docker.requested(null)).as("unset: the in-JVM broker, whether or not dockerd runs").isFalse();
        assertThat(Docker.requested("")).isFalse();
        assertThat(Docker.requested("false")).isFalse();
        assertThat(Docker.requested("1")).isFalse();
    }

    @Test
    void shouldNotChooseTestcontainersByDefault() {
        // the suite itself runs without the setting (CI, ./mvnw verify) unless someone asks on purpose
        if (!Docker.requested(System.getProperty(Docker.SETTING, System.getenv(Docker.SETTING)))) {
            assertThat(Docker.isChosen()).isFalse();
        }
    }
}
