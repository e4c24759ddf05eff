package io.apexaudition.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code apex rebuild}: the recorder empties every table and replays all topics from the first offset. */
@Command(name = "rebuild", description = "Rebuild every apex_audition table by replaying the topics from the first "
        + "offset. The services keep running; a live event written meanwhile is replayed idempotently.")
class RebuildCommand implements Callable<Integer> {

    @Mixin
    StackOptions.Recorder recorder;

    @Override
    public Integer call() {
        System.out.println("Rebuilding apex_audition from the topics through " + recorder.url + " ...");
        ServiceClient.Answer answer = ServiceClient.admin(recorder.url).post("/api/rebuild", Map.of());
        if (answer.status() != 200) {
            System.err.println("apex: the rebuild failed (" + answer.status() + "): " + answer.json()
                    + "; see './apex logs recorder'");
            return 1;
        }
        System.out.printf("Rebuilt from %d events in %.1f s.%n", answer.json().path("events").asLong(),
                answer.json().path("millis").asLong() / 1000.0);
        return 0;
    }
}
