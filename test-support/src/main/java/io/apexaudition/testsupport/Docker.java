package io.apexaudition.testsupport;

/** Whether a Docker engine answers; the build machines have only the client, so this is usually false. */
final class Docker {
    private static Boolean available;

    private Docker() {
    }

    static synchronized boolean isAvailable() {
        if (available == null) {
            if ("false".equalsIgnoreCase(System.getenv("APEX_TESTCONTAINERS"))) {
                available = false;
            } else {
                try {
                    available = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
                } catch (Throwable e) {
                    available = false;
                }
            }
        }
        return available;
    }
}
