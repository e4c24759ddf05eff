package io.apexaudition.e2e;

import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs an audition with recognisable fake keys (one of them wrong, so that provider errors are recorded too) and
 * finds neither key, nor the fragments a provider echoes of a key, in any log line, topic record or table row; nor
 * the admin token, after a call with a wrong one.
 */
class SecretsIT {
    static final String OPENAI_KEY = "apex-fake-openai-key-4242424242-QZXW";
    static final String ANTHROPIC_KEY = "apex-fake-anthropic-key-7373737373-JVKQ";

    @Test
    void shouldKeepTheApiKeysOutOfLogsTopicsTablesAndErrorMessages() throws Exception {
        try (Stack stack = new Stack()) {
            // the simulator knows the OpenAI key; the Anthropic key the dispatchers send is wrong on purpose
            stack.startSimulator(Map.of("SIM_OPENAI_API_KEY", OPENAI_KEY, "SIM_ANTHROPIC_API_KEY",
                    "the-right-anthropic-key-000")).awaitReady(Duration.ofSeconds(120));
            // every provider error carries the key the request was sent with (echo-key), and the OpenAI side, whose
            // key is right, gets errors too: retried ones on upload, batch reads and results, and a synchronous
            // call that fails until the client gives up, so an error message holding the key is recorded
            stack.configureSimulator("{\"faults\":{\"echo-key\":true,\"endpoints\":{"
                    + "\"openai.files\":{\"next\":{\"rate-limit\":1}},"
                    + "\"openai.batches.get\":{\"next\":{\"server-error\":2}},"
                    + "\"openai.files.content\":{\"next\":{\"server-error\":1}},"
                    + "\"openai.chat\":{\"next\":{\"server-error\":6}}}}}");
            stack.start("recorder", "recorder-service", Map.of());
            String planner = stack.start("planner", "planner-service", Map.of()).url();
            for (String provider : List.of("openai", "anthropic")) {
                Map<String, String> env = keyed(stack);
                env.put("APEX_DISPATCHER_PROVIDER", provider);
                stack.start("dispatcher-" + provider, "dispatcher-service", env);
            }
            stack.start("poller", "poller-service", keyed(stack));
            stack.services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
            stack.registerCatalog();

            assertThat(cli("run", "--condition-slug", "gpt5.reason-high", "--condition-slug", "opus.t0-8.std",
                    "--batch-mode", "--limit", "2", "--created-by", "secrets", "--notes", "scan", "--run-id",
                    "run-secrets", "--wait", "--timeout", "120", "--planner-url", planner, "--bootstrap-servers",
                    stack.kafka)).isZero();
            assertThat(cli("run", "--condition-slug", "sonnet.t0-8.std", "--limit", "1", "--created-by", "secrets",
                    "--notes", "sync", "--run-id", "run-secrets-sync", "--wait", "--timeout", "120", "--planner-url",
                    planner, "--bootstrap-servers", stack.kafka)).isZero();

            assertThat(cli("run", "--condition-slug", "4o.t0-6", "--limit", "1", "--created-by", "secrets",
                    "--notes", "sync errors", "--run-id", "run-secrets-sync-openai", "--wait", "--timeout", "120",
                    "--planner-url", planner, "--bootstrap-servers", stack.kafka)).isZero();

            // the providers' errors held the keys, and were recorded without them
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT error_message FROM apex_audition.generations WHERE "
                    + "lane_id = '4o.t0-6' OR lane_id LIKE 'sonnet%'")).hasSize(2)
                    .allMatch(m -> m.contains("API key sent: [redacted]"));
            // the wrong key produced recorded errors, and the right one completed generations
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT error_kind FROM apex_audition.generations WHERE "
                    + "lane_id LIKE '%opus%' OR lane_id LIKE 'sonnet%'")).isNotEmpty().containsOnly("authentication");
            assertThat(WalkingSkeletonIT.rows(stack, "SELECT status FROM apex_audition.generations WHERE "
                    + "lane_id = 'gpt5.reason-high'")).containsOnly("completed");

            // an admin call with a wrong token is refused without the token reaching a log
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(planner
                    + "/api/prompts")).header("Authorization", "Bearer wrong-" + Stack.ADMIN_TOKEN)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain(Stack.ADMIN_TOKEN);

            List<String> haystacks = new ArrayList<>();
            for (ServiceProcess s : stack.services.values()) {
                haystacks.add(s.log() + ": " + Files.readString(s.log()));
            }
            try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka)) {
                for (TopicSpec topic : Topics.ALL) {
                    for (ConsumerRecord<String, String> r : kafka.readUntil(topic.name(), x -> false,
                            Duration.ofSeconds(2))) {
                        haystacks.add(topic.name() + ": " + r.key() + " " + r.value());
                    }
                }
            }
            for (String table : AuditionIT.TABLES) {
                WalkingSkeletonIT.rows(stack, "SELECT t::text FROM apex_audition." + table + " t")
                        .forEach(row -> haystacks.add(table + ": " + row));
            }
            assertThat(haystacks).hasSizeGreaterThan(50);
            for (String needle : List.of(OPENAI_KEY, ANTHROPIC_KEY, "4242424242", "7373737373", "-QZXW", "-JVKQ",
                    Stack.ADMIN_TOKEN)) {
                assertThat(haystacks).as("places holding '%s'", needle).noneMatch(h -> h.contains(needle));
            }
        }
    }

    private static Map<String, String> keyed(Stack stack) {
        Map<String, String> env = new HashMap<>(stack.providerEnv());
        env.put("OPENAI_API_KEY", OPENAI_KEY);
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        return env;
    }

    private static int cli(String... args) {
        return Stack.cli(args);
    }
}
