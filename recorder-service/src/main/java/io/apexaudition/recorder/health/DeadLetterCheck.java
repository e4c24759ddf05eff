package io.apexaudition.recorder.health;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads apex_audition.dead_letters and produces, at {@code /q/health/well}, how many records each consumer has
 * parked: poison input is counted and visible without taking the service out of rotation (a wellness check
 * feeds no probe). DOWN only when parked records exist, so a monitor can alert on it; `apex report` lists them.
 */
@Wellness
@ApplicationScoped
public class DeadLetterCheck implements HealthCheck {
    private final DataSource dataSource;

    public DeadLetterCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("dead-letters");
        long total = 0;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT consumer, count(*) FROM apex_audition.dead_letters "
                     + "GROUP BY consumer ORDER BY consumer")) {
            while (rs.next()) {
                r.withData(rs.getString(1), rs.getLong(2));
                total += rs.getLong(2);
            }
        } catch (SQLException e) {
            return r.down().withData("error", "cannot count dead letters: " + e.getMessage()).build();
        }
        return r.withData("total", total).status(total == 0).build();
    }
}
