package io.apexaudition.deploy;

import java.util.List;

/**
 * One running service as the deployments name it: its Kubernetes Deployment, its compose service, its Maven
 * module (image apex-audition/MODULE), its HTTP port (health endpoints under /q/health on it), and what it talks
 * to: Kafka (then it starts after the topics and is pointed at the broker) and Postgres (then it waits for the
 * database and is pointed at it, its password from a secret). ConfigWiringTest holds both flags to what the
 * module's application.properties defines.
 */
record Deployable(String deployment, String composeService, String module, int port, boolean devOnly, boolean kafka,
                  boolean database) {
    static final List<Deployable> ALL = List.of(
            new Deployable("apex-planner", "planner", "planner-service", 8081, false, true, false),
            new Deployable("apex-dispatcher-openai", "dispatcher-openai", "dispatcher-service", 8082, false, true, false),
            new Deployable("apex-dispatcher-anthropic", "dispatcher-anthropic", "dispatcher-service", 8083, false, true,
                    false),
            new Deployable("apex-poller", "poller", "poller-service", 8084, false, true, false),
            new Deployable("apex-recorder", "recorder", "recorder-service", 8085, false, true, true),
            new Deployable("apex-simulator", "simulator", "provider-simulator", 8086, true, false, false),
            new Deployable("apex-viewer", "viewer", "viewer-service", 8087, false, true, true));

    String image() {
        return "apex-audition/" + module;
    }

    ServiceConfig config() {
        return ServiceConfig.of(module);
    }

    boolean runsIn(String overlay) {
        return !devOnly || overlay.endsWith("/dev");
    }

    static Deployable byDeployment(String name) {
        return ALL.stream().filter(d -> d.deployment.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("Deployment " + name + " is not a known service: add it to "
                        + "Deployable.ALL (deploy-tests) with its module and port"));
    }
}
