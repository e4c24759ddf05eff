package io.apexaudition.testsupport;

/**
 * Whether the tests use Testcontainers: only when asked to, by {@code APEX_TEST_CONTAINERS=true} (environment
 * or system property). A Docker engine that merely answers is not enough: where no image registry is reachable
 * (these build machines) Testcontainers cannot pull its images, and the suite must pass with and without an
 * engine. Asked for and no engine answers: the first test that needs Kafka or Postgres fails and says so.
 */
final class Docker {
    static final String SETTING = "APEX_TEST_CONTAINERS";
    private static Boolean chosen;

    private Docker() {
    }

    static synchronized boolean isChosen() {
        if (chosen == null) {
            chosen = requested(System.getProperty(SETTING, System.getenv(SETTING)));
            if (chosen && !engineAnswers()) {
                throw new IllegalStateException(SETTING + "=true but no Docker engine answers: start one, or unset "
                        + SETTING + " to use the in-JVM Kafka broker and the local or embedded Postgres");
            }
        }
        return chosen;
    }

    /** The setting's value: {@code true} (any case) chooses Testcontainers; anything else, or unset, does not. */
    static boolean requested(String value) {
        return value != null && "true".equalsIgnoreCase(value.trim());
    }

    private static boolean engineAnswers() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
