package io.apexaudition.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.EventJson;
import jakarta.ws.rs.core.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body a synchronous call puts on the wire is, byte for byte, the body the dispatcher stores as sent
 * ({@code RequestBodies.json}, whose SHA-256 names it in apex.request-bodies): whatever the texts hold (non-ASCII,
 * control characters, lone surrogates) and whatever the numbers are. Unstreamed calls only: a streamed call adds
 * the streaming fields to what was stored (StreamedRepliesTest).
 */
class WireBodyPropertyTest {
    private static final ProvidersConfig CONFIG = TestProviders.config(Optional.of("sk-test-key"), 1);

    @Property(tries = 300, seed = "20261202")
    void shouldSendOpenAiBodiesExactlyAsStored(@ForAll("bodies") ObjectNode body) {
        AtomicReference<String> wire = new AtomicReference<>();
        OpenAiClient client = new OpenAiClient(capturing(OpenAiRestClient.class, "chatCompletion", wire), new Retrier(CONFIG, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), CONFIG);

        client.call(body);

        assertThat(wire.get()).isEqualTo(RequestBodies.json(body));
    }

    @Property(tries = 300, seed = "20261202")
    void shouldSendAnthropicBodiesExactlyAsStored(@ForAll("bodies") ObjectNode body) {
        AtomicReference<String> wire = new AtomicReference<>();
        AnthropicClient client = new AnthropicClient(capturing(AnthropicRestClient.class, "createMessage", wire), new Retrier(CONFIG, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), CONFIG);

        client.call(body);

        assertThat(wire.get()).isEqualTo(RequestBodies.json(body));
    }

    @Provide
    Arbitrary<ObjectNode> bodies() {
        Arbitrary<String> texts = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<Double> temperatures = Arbitraries.oneOf(Arbitraries.doubles().between(0, 2),
                Arbitraries.of(0.7, 1.0, 1e-7, 0.1 + 0.2, 1.5e300, -0.0));
        Arbitrary<Integer> tokens = Arbitraries.integers().between(1, 21_333);
        return net.jqwik.api.Combinators.combine(texts, texts, temperatures, tokens, texts.list().ofMaxSize(3))
                .as((system, user, temperature, maxTokens, extra) -> {
                    ObjectNode body = EventJson.mapper().createObjectNode();
                    body.put("model", "gpt-4o");
                    body.put("max_tokens", maxTokens);
                    body.put("temperature", temperature);
                    ArrayNode messages = body.putArray("messages");
                    messages.addObject().put("role", "system").put("content", system);
                    messages.addObject().put("role", "user").put("content", user);
                    ArrayNode stop = body.putArray("stop");
                    extra.forEach(stop::add);
                    body.putObject("metadata").put("note", user).put("n", 2);
                    return body;
                });
    }

    private static Response completion() {
        return Response.ok("{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1},"
                + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\"}").build();
    }

    /** The provider's REST interface, answering {@code method} with a completion and keeping the body it was sent. */
    private static <T> T capturing(Class<T> api, String method, AtomicReference<String> wire) {
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (proxy, m, args) -> {
            if (!m.getName().equals(method)) {
                throw new UnsupportedOperationException(m.getName());
            }
            wire.set((String) args[1]);
            return completion();
        }));
    }
}
