package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A prepared request keeps its body's hash, not its body: the body is written again, the same, when it is needed. */
class PreparedBodyTest {

    private static GenerationRequested request() {
        return new GenerationRequested("e1", 1, Instant.EPOCH, "run-1", "gen-1", 1, "cond-1", "4o.t0-8",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null, null),
                "p1", 1, "Write a \"sonnet\" about a ferry — crossing at night.\n", "House style: café, naïve.", 1,
                RunMode.BATCH, false, false, true, 1);
    }

    @Test
    void shouldWriteTheBodyItsHashNamesEachTimeItIsAskedFor() {
        // given a prepared request
        GenerationRequested r = request();
        Prepared prepared = Prepared.of(r);

        // when its body is asked for twice
        String first = prepared.body().text();
        byte[] second = prepared.utf8();

        // then both are the request's body as RequestBodies writes it, named by the hash kept
        assertThat(first).isEqualTo(RequestBodies.json(RequestBodies.body(r)));
        assertThat(second).isEqualTo(first.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(RequestBodyStored.hashOf(first)).isEqualTo(prepared.bodyHash());
    }

    @Test
    void shouldStoreTheRecordTheEventWritesForABodyWithTheHouseStyle() throws Exception {
        // given a request with the seed's 8.7 KB shared context (a long text, copied from its escaped UTF-8)
        String houseStyle = Files.readString(Path.of("..", "config", "prompts", "shared", "house-style.md"));
        GenerationRequested r = new GenerationRequested("e1", 1, Instant.EPOCH, "run-1", "gen-1", 1, "cond-1",
                "4o.t0-8", Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null, null),
                "p1", 1, "Write a \"sonnet\" about a ferry \u2014 crossing at night.\n", houseStyle, 1, RunMode.BATCH,
                false, false, true, 1);
        Prepared prepared = Prepared.of(r);

        // when its body is stored as the dispatcher stores it: the record written from the checked bytes
        RequestBodies.Utf8Body body = prepared.body();
        RequestBodyStored event = RequestBodyStored.under(prepared.bodyHash(), body.text(), Instant.EPOCH);
        byte[] escaped = body.escapedAgain();
        byte[] record = EventJson.writeBytes(event, escaped);

        // then it took the copying path, its record is the event's own, and it reads back as the body its hash names
        assertThat(escaped).isNotNull();
        assertThat(record).isEqualTo(EventJson.writeBytes((ApexEvent) event));
        RequestBodyStored read = EventJson.read(record, RequestBodyStored.class, Set.of());
        assertThat(RequestBodyStored.hashOf(read.body())).isEqualTo(prepared.bodyHash());
        assertThat(read.body()).isEqualTo(RequestBodies.json(RequestBodies.body(r)));
    }

    @Test
    void shouldRefuseABodyThatIsNotTheOneItsHashNames() {
        // given a prepared request whose hash was taken of another body (a body writer that changed under it)
        Prepared prepared = Prepared.of(request());
        byte[] another = "{\"model\":\"gpt-4o\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Prepared other = new Prepared(prepared.request(),
                RequestBodyStored.hashOfUtf8(another), Prepared.fingerprint(another),
                prepared.utf8Bytes(), prepared.entryBytes());

        // when its body is asked for, to be stored or sent, then it is refused rather than sent under that hash
        assertThatThrownBy(other::body).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("came out different");
    }
}
