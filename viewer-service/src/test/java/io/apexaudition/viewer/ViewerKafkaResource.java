package io.apexaudition.viewer;

import io.apexaudition.testsupport.KafkaInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The real broker (test-support's: in this JVM unless KAFKA_BOOTSTRAP_SERVERS names one, every registry topic
 * created) for the verdicts the viewer publishes. Like ViewerDatabaseResource it applies to every test of the module.
 */
public class ViewerKafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", KafkaInfra.bootstrapServers());
    }

    @Override
    public void stop() {
        // the broker lives as long as the JVM
    }
}
