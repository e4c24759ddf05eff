package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Events as a consumer or a rebuild may read them: each partition in order, partitions interleaved at random. */
final class Interleaving {
    private Interleaving() {
    }

    /** Each partition's events in order, partitions interleaved at random, cut into batches (1 in {@code cut}). */
    static List<List<ApexEvent>> interleaved(List<List<ApexEvent>> partitions, Random random, int cut) {
        List<List<ApexEvent>> left = new ArrayList<>();
        partitions.forEach(p -> left.add(new ArrayList<>(p)));
        List<List<ApexEvent>> batches = new ArrayList<>();
        List<ApexEvent> batch = new ArrayList<>();
        while (left.stream().anyMatch(p -> !p.isEmpty())) {
            List<List<ApexEvent>> open = left.stream().filter(p -> !p.isEmpty()).toList();
            batch.add(open.get(random.nextInt(open.size())).remove(0));
            if (random.nextInt(cut) == 0) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** Slices stored as a rebuild stores them: staged one by one into the rebuild's fold, which is then written. */
    static void rebuild(ProjectionRepository repository, List<List<ApexEvent>> slices) throws SQLException {
        try (RebuildFold fold = repository.startFold()) {
            for (List<ApexEvent> slice : slices) {
                repository.replay(slice, fold);
            }
            fold.finish();
        }
    }
}
