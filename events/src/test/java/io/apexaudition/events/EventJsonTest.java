package io.apexaudition.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {

    static List<ApexEvent> events() {
        return Samples.all();
    }

    @ParameterizedTest
    @MethodSource("events")
    void shouldRoundTripEveryEventThroughJson(ApexEvent event) {
        String json = EventJson.write(event);

        ApexEvent read = EventJson.read(json);

        assertThat(read).isEqualTo(event);
        assertThat(json).contains("\"type\":\"" + event.getClass().getSimpleName() + "\"");
    }

    @ParameterizedTest
    @MethodSource("events")
    void shouldRoundTripEveryEventThroughUtf8Bytes(ApexEvent event) {
        byte[] json = EventJson.writeBytes(event);

        ApexEvent read = EventJson.read(json, Set.of());

        assertThat(read).isEqualTo(event);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(EventJson.write(event));
    }

    @Test
    void shouldLeaveOutOnlyTheSkippedBulkyFields() {
        GenerationRequested requested = Samples.all().stream().filter(GenerationRequested.class::isInstance)
                .map(GenerationRequested.class::cast).findFirst().orElseThrow();
        BatchSubmitted submitted = Samples.all().stream().filter(BatchSubmitted.class::isInstance)
                .map(BatchSubmitted.class::cast).findFirst().orElseThrow();
        assertThat(requested.sharedContext()).isNotNull();

        GenerationRequested withoutContext = EventJson.read(EventJson.writeBytes(requested), GenerationRequested.class,
                EnumSet.allOf(EventJson.Skip.class));
        BatchSubmitted batch = EventJson.read(EventJson.writeBytes(submitted), BatchSubmitted.class,
                EnumSet.allOf(EventJson.Skip.class));

        assertThat(withoutContext.sharedContext()).isNull();
        assertThat(withoutContext).usingRecursiveComparison().ignoringFields("sharedContext").isEqualTo(requested);
        assertThat(batch).isEqualTo(submitted);
    }

    @Test
    void shouldLeaveOutTheOutputTextOnlyForAReaderThatAsksForIt() {
        // given a result with its text
        GenerationCompleted completed = Samples.all().stream().filter(GenerationCompleted.class::isInstance)
                .map(GenerationCompleted.class::cast).filter(c -> c.outputText() != null).findFirst().orElseThrow();
        byte[] record = EventJson.writeBytes(completed);

        // when the planner's progress reads it (its state only), and the recorder (every field but shared contexts)
        GenerationCompleted counted = EventJson.read(record, GenerationCompleted.class,
                EnumSet.of(EventJson.Skip.OUTPUT_TEXT));
        GenerationCompleted recorded = EventJson.read(record, GenerationCompleted.class,
                EnumSet.of(EventJson.Skip.SHARED_CONTEXT));

        // then only the one that asked goes without the text
        assertThat(counted.outputText()).isNull();
        assertThat(counted).usingRecursiveComparison().ignoringFields("outputText").isEqualTo(completed);
        assertThat(recorded).isEqualTo(completed);
    }

    @Test
    void shouldCarryBodiesOnlyInRequestBodyStoredAndNameThemByHashElsewhere() {
        RequestBodyStored stored = RequestBodyStored.of("{\"model\":\"gpt-5\",\"messages\":[\"é\"]}", Samples.AT);
        BatchSubmitted submitted = Samples.all().stream().filter(BatchSubmitted.class::isInstance)
                .map(BatchSubmitted.class::cast).findFirst().orElseThrow();

        // the hash is the SHA-256 of the body's UTF-8 bytes (what Postgres's sha256(convert_to(body,'UTF8')) gives)
        assertThat(stored.bodyHash()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(RequestBodyStored.hashOf("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(stored.key()).isEqualTo(stored.bodyHash());
        assertThat(RequestBodyStored.of(stored.body(), Samples.AT.plusSeconds(9)).eventId()).isEqualTo(stored.eventId());
        assertThat(EventJson.write(submitted)).doesNotContain(Samples.BODY.replace("\"", "\\\""))
                .contains(RequestBodyStored.hashOf(Samples.BODY));
    }

    @Test
    void shouldPutACutBodysLongTextBackWhereItLay() {
        // given a body stored with its long text cut out, and the text stored on its own
        RequestBodyStored cut = Samples.all().stream().filter(RequestBodyStored.class::isInstance)
                .map(RequestBodyStored.class::cast).filter(RequestBodyStored::isCut).findFirst().orElseThrow();
        LongTextStored text = Samples.all().stream().filter(LongTextStored.class::isInstance)
                .map(LongTextStored.class::cast).findFirst().orElseThrow();

        // when both are read back and put together, then it is the whole body its hash names, keyed apart
        RequestBodyStored read = (RequestBodyStored) EventJson.read(EventJson.write(cut));
        LongTextStored readText = (LongTextStored) EventJson.read(EventJson.write(text));
        assertThat(read.body()).doesNotContain(Samples.LONG_TEXT);
        assertThat(read.textHash()).isEqualTo(readText.textHash()).isEqualTo(readText.key());
        assertThat(read.restored(readText.escapedText())).isEqualTo(Samples.BODY);
        assertThat(RequestBodyStored.hashOf(read.restored(readText.escapedText()))).isEqualTo(read.bodyHash());
        assertThat(readText.key()).isNotEqualTo(read.key());
        // and a cut body is not put together without its text (no "null" in the text's place)
        assertThatThrownBy(() -> read.restored(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(read.textHash());
    }

    @Test
    void shouldRefuseACutBodyThatCouldNotBePutBackOrATextUnderAnotherHash() {
        String hash = RequestBodyStored.hashOf(Samples.BODY);
        String textHash = RequestBodyStored.hashOf(Samples.LONG_TEXT);
        String cutBody = Samples.BODY.replace(Samples.LONG_TEXT, "");

        assertThatThrownBy(() -> EventJson.read(EventJson.write(RequestBodyStored.cut(hash, cutBody, textHash,
                cutBody.length() + 1, Samples.AT)))).isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("textAt must be a char offset within body");
        assertThatThrownBy(() -> EventJson.read(EventJson.write(RequestBodyStored.cut(hash, cutBody, "ABC", 3,
                Samples.AT)))).isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("textHash is not a SHA-256 in lower-case hex");
        assertThatThrownBy(() -> EventJson.read(EventJson.write(new RequestBodyStored("e", 2, Samples.AT, hash, null,
                3, Samples.BODY)))).isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("textAt without textHash");
        assertThatThrownBy(() -> EventJson.read(EventJson.write(RequestBodyStored.cut(hash, "{\"a\":\"\uD83D\uDE00\"}",
                textHash, 10, Samples.AT)))).isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("textAt follows a surrogate pair");
        assertThatThrownBy(() -> EventJson.read(EventJson.write(LongTextStored.under(hash, Samples.LONG_TEXT,
                Samples.AT)))).isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("textHash is not the SHA-256 of escapedText");
    }

    @Test
    void shouldRefuseABodyStoredUnderAnotherBodysHash() {
        RequestBodyStored stored = RequestBodyStored.of("{\"model\":\"o3\"}", Samples.AT);
        String forged = EventJson.write(new RequestBodyStored(stored.eventId(), 1, Samples.AT,
                RequestBodyStored.hashOf("{\"model\":\"gpt-5\"}"), stored.body()));

        assertThatThrownBy(() -> EventJson.read(forged))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("bodyHash is not the SHA-256 of body");
    }

    @Test
    void shouldNameTheProblemOfUnreadableBytesWithTheirStart() {
        byte[] poison = ("{\"type\":\"BatchSubmitted\",\"batchId\":" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventJson.read(poison, EnumSet.allOf(EventJson.Skip.class)))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("record starts with: {\"type\":\"BatchSubmitted\"")
                .hasMessageEndingWith("...)");
        assertThatThrownBy(() -> EventJson.read(" \n".getBytes(StandardCharsets.UTF_8), Set.of()))
                .isInstanceOf(EventJson.UnreadableEventException.class).hasMessageContaining("empty record");
    }

    @ParameterizedTest
    @MethodSource("events")
    void shouldReadAnEventWithAnUnknownExtraFieldFromANewerWriter(ApexEvent event) {
        String json = EventJson.write(event).replaceFirst("\\{", "{\"addedInAFutureVersion\":{\"x\":[1,2]},");

        ApexEvent read = EventJson.read(json, event.getClass());

        assertThat(read).isEqualTo(event);
    }

    @Test
    void shouldReadAGenerationCompletedWithoutItsOptionalFields() {
        String json = """
                {"type":"GenerationCompleted","eventId":"e","schemaVersion":1,"occurredAt":"2026-11-26T12:00:00Z",
                 "runId":"run-1","generationId":"g","attempt":1,"conditionSlug":"4o.t0-6","status":"completed"}
                """;

        GenerationCompleted read = EventJson.read(json, GenerationCompleted.class);

        assertThat(read.status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(read.usage()).isEqualTo(Usage.NONE);
        assertThat(read.errorKind()).isNull();
        assertThat(read.costUsd()).isNull();
    }

    @Test
    void shouldFillRunCommandDefaultsWhenAHandWrittenCommandOmitsThem() {
        String pasted = "{\"runId\":\"run-demo-1\",\"conditionSlugs\":[\"gpt5.reason-min\"],\"dryRun\":true,\"limit\":3}";

        RunRequested command = EventJson.read(pasted, RunRequested.class);

        assertThat(command.runId()).isEqualTo("run-demo-1");
        assertThat(command.schemaVersion()).isEqualTo(RunRequested.SCHEMA_VERSION);
        assertThat(command.mode()).isEqualTo(RunMode.BATCH);
        assertThat(command.dryRun()).isTrue();
        assertThat(command.cache()).isTrue();
        assertThat(command.replicates()).isEqualTo(1);
        assertThat(command.allLanes()).isFalse();
        assertThat(command.promptIds()).isEmpty();
    }

    @Test
    void shouldReadEachKindOfRunCommandByItsTypeAndAnUntypedOneAsARunRequested() {
        // given one command of each kind on apex.run-commands, the run command without a type
        ApexEvent judging = Samples.all().stream().filter(JudgingRequested.class::isInstance).findFirst().orElseThrow();
        String untyped = "{\"runId\":\"run-demo-1\",\"allLanes\":true}";
        String retry = "{\"type\":\"RetryRequested\",\"runId\":\"run-1\",\"retryId\":\"retry-1\"}";

        // when each is read as a command, then each is the event its type names
        assertThat(EventJson.readCommand(EventJson.write(judging))).isEqualTo(judging);
        assertThat(EventJson.readCommand(retry)).isInstanceOf(RetryRequested.class);
        assertThat(EventJson.readCommand(untyped)).isInstanceOf(RunRequested.class);
    }

    @Test
    void shouldAcceptLowerCaseEnumValuesInACommand() {
        RunRequested command = EventJson.read("{\"runId\":\"r\",\"allLanes\":true,\"mode\":\"sync\"}",
                RunRequested.class);

        assertThat(command.mode()).isEqualTo(RunMode.SYNC);
    }

    @Test
    void shouldRefuseAnEventVersionNewerThanItKnows() {
        String json = EventJson.write(Samples.all().get(6)).replace("\"schemaVersion\":1", "\"schemaVersion\":99");

        assertThatThrownBy(() -> EventJson.read(json, GenerationRequested.class))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("schemaVersion 99")
                .hasMessageContaining("upgrade the service");
    }

    @Test
    void shouldNameTheProblemOfMalformedJson() {
        assertThatThrownBy(() -> EventJson.read("{\"runId\": oops", RunRequested.class))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("malformed JSON for RunRequested")
                .hasMessageContaining("{\"runId\": oops");
    }

    @Test
    void shouldRefuseARecordOfAnotherKindOnATypedTopic() {
        String accepted = EventJson.write(Samples.all().get(4));

        assertThatThrownBy(() -> EventJson.read(accepted, RunRequested.class))
                .isInstanceOf(EventJson.UnreadableEventException.class);
    }

    @Test
    void shouldRefuseAnEmptyRecord() {
        assertThatThrownBy(() -> EventJson.read("  ", RunRequested.class))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("empty record");
    }

    @Test
    void shouldRefuseAPairwiseVerdictWithoutItsWinnerAndARankingOfOneOutput() {
        // given a pairwise verdict that names no winner, and a ranking of a single output
        String pairwise = """
                {"type":"VerdictRecorded","eventId":"e","schemaVersion":1,"runId":"run-1","verdictId":"v1",
                 "promptId":"p01","kind":"PAIRWISE","generationA":"g1","generationB":"g2"}
                """;
        String ranking = """
                {"type":"VerdictRecorded","eventId":"e","schemaVersion":1,"runId":"run-1","verdictId":"v2",
                 "promptId":"p01","kind":"RANKING","ranking":["g1"]}
                """;

        // then each is refused, naming what is missing
        assertThatThrownBy(() -> EventJson.read(pairwise, VerdictRecorded.class))
                .isInstanceOf(EventJson.UnreadableEventException.class).hasMessageContaining("winner is missing");
        assertThatThrownBy(() -> EventJson.read(ranking, VerdictRecorded.class))
                .isInstanceOf(EventJson.UnreadableEventException.class)
                .hasMessageContaining("ranking's size is 1, expected at least 2");
    }

    @Test
    void shouldKeyAVerdictByItsRunOnTheVerdictTopic() {
        VerdictRecorded verdict = Samples.all().stream().filter(VerdictRecorded.class::isInstance)
                .map(VerdictRecorded.class::cast).findFirst().orElseThrow();

        assertThat(verdict.key()).isEqualTo("run-1");
        assertThat(Topics.VERDICTS.name()).isEqualTo("apex.verdicts");
        assertThat(Topics.VERDICTS.events()).containsExactly(VerdictRecorded.class);
        assertThat(Topics.ALL).contains(Topics.VERDICTS);
    }
}
