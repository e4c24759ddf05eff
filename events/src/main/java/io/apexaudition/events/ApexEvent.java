package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * Every event of the audition flow. The JSON carries its record name in {@code type}, so one topic
 * can hold several event kinds and a reader can tell them apart without Kafka headers.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(RunRequested.class),
        @JsonSubTypes.Type(RetryRequested.class),
        @JsonSubTypes.Type(JudgingRequested.class),
        @JsonSubTypes.Type(LaneRegistered.class),
        @JsonSubTypes.Type(PromptIngested.class),
        @JsonSubTypes.Type(RunAccepted.class),
        @JsonSubTypes.Type(RunRejected.class),
        @JsonSubTypes.Type(GenerationRequested.class),
        @JsonSubTypes.Type(LaneGroupRequested.class),
        @JsonSubTypes.Type(DispatchIntended.class),
        @JsonSubTypes.Type(BatchSubmitted.class),
        @JsonSubTypes.Type(DispatchSettled.class),
        @JsonSubTypes.Type(BatchStatusChanged.class),
        @JsonSubTypes.Type(GenerationCompleted.class),
        @JsonSubTypes.Type(RunCompleted.class),
        @JsonSubTypes.Type(DeadLettered.class),
        @JsonSubTypes.Type(VerdictRecorded.class),
        @JsonSubTypes.Type(RequestBodyStored.class),
        @JsonSubTypes.Type(LongTextStored.class)
})
public sealed interface ApexEvent permits RunRequested, RetryRequested, JudgingRequested, LaneRegistered, PromptIngested, RunAccepted, RunRejected,
        GenerationRequested, LaneGroupRequested, DispatchIntended, BatchSubmitted, DispatchSettled, BatchStatusChanged, GenerationCompleted, RunCompleted, DeadLettered,
        VerdictRecorded, RequestBodyStored, LongTextStored {

    /** Unique per event; consumers use it to recognise a redelivered event. */
    String eventId();

    /** Version of this record's shape; a reader refuses versions newer than it knows. */
    int schemaVersion();

    Instant occurredAt();

    /** The Kafka record key this event is published under (see {@link Topics}). */
    String key();
}
