package io.apexaudition.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher's lines about a lane group carry its run, lane, attempt and provider in the log context (MDC),
 * and the next line, about no run, carries none of it: the context is cleared after. Formatted as the services
 * format them, the context reads in the plain format and parses from a JSON line (APEX_LOG_JSON=true).
 */
@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class DispatchLogContextTest {

    /** Records of this JVM's log, with the MDC of the thread that logged them. */
    static final class Captured extends Handler {
        final List<ExtLogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext && ext.getFormattedMessage().startsWith("Request parked")) {
                ext.copyMdc();
                records.add(ext);
            }
        }

        synchronized List<ExtLogRecord> parked() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldLogALaneGroupWithItsRunAndLaneAndClearThemAfter() throws Exception {
        Captured captured = new Captured();
        Logger.getLogger("").addHandler(captured);
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // a request of a run the planner never accepted (parked while its lane group is handled), then an
            // unreadable record, about no run
            String id = EventIds.generationId("run-log-ctx", "o3.reason-high", "p01", 1);
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), new GenerationRequested("e-" + id, 1,
                    Instant.now(), "run-log-ctx", id, 1, "cond-o3", "o3.reason-high", Providers.OPENAI, "o3", "o3",
                    new LaneParameters(null, null, 36000, "high", null), "p01", 1, "Write a sonnet", "House style", 1,
                    RunMode.BATCH, false, true, true, 1));
            kafka.publishRaw(Topics.GENERATION_REQUESTS_OPENAI.name(), "run-log-ctx/unreadable", "not json");

            // two keys, two partitions: parked in either order
            await().atMost(Duration.ofSeconds(60)).until(() -> captured.parked().stream()
                    .anyMatch(r -> r.getFormattedMessage().contains("malformed JSON"))
                    && captured.parked().stream().anyMatch(r -> r.getFormattedMessage().contains("run-log-ctx")));
        } finally {
            Logger.getLogger("").removeHandler(captured);
        }
        ExtLogRecord aboutTheRun = captured.parked().stream()
                .filter(r -> r.getFormattedMessage().contains("run-log-ctx")).findFirst().orElseThrow();
        ExtLogRecord aboutNoRun = captured.parked().stream()
                .filter(r -> r.getFormattedMessage().contains("malformed JSON")).findFirst().orElseThrow();

        assertThat(aboutTheRun.getMdcCopy()).containsEntry("runId", "run-log-ctx")
                .containsEntry("lane", "o3.reason-high").containsEntry("attempt", "1")
                .containsEntry("provider", "openai");
        assertThat(aboutNoRun.getMdcCopy()).doesNotContainKeys("runId", "lane", "attempt", "apexContext");

        // the plain console format of the service shows the context only where there is one
        PatternFormatter plain = new PatternFormatter(ConfigProvider.getConfig()
                .getValue("quarkus.log.console.format", String.class));
        assertThat(plain.format(aboutTheRun))
                .contains("[runId=run-log-ctx lane=o3.reason-high attempt=1 provider=openai] Request parked");
        assertThat(plain.format(aboutNoRun)).doesNotContain("runId=").contains(") Request parked");

        // and a JSON line (APEX_LOG_JSON=true) parses, with the run id under "mdc"
        JsonNode json = new ObjectMapper().readTree(new JsonFormatter().format(aboutTheRun));
        assertThat(json.path("mdc").path("runId").asText()).isEqualTo("run-log-ctx");
        assertThat(json.path("mdc").path("lane").asText()).isEqualTo("o3.reason-high");
        assertThat(json.path("message").asText()).contains("never accepted");
    }
}
