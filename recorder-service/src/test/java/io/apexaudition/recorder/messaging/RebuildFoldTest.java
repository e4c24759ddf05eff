package io.apexaudition.recorder.messaging;

import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One rebuild of a database at a time: a second would drop the first one's staging tables. */
class RebuildFoldTest {
    private final PGSimpleDataSource dataSource = MigratedDatabase.fresh();

    @Test
    void shouldRefuseASecondRebuildWhileOneRunsAndLetTheNextStartOnceItEnded() throws Exception {
        // given a rebuild running
        ProjectionRepository repository = new ProjectionRepository(dataSource);
        try (RebuildFold running = repository.startFold()) {
            // when another starts, then it is refused, saying why and what to do
            assertThatThrownBy(repository::startFold).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another rebuild of this database is running")
                    .hasMessageContaining("wait for it to finish");
        }
        // and once the first ended, the next starts
        try (RebuildFold next = repository.startFold()) {
            next.finish();
        }
    }
}
