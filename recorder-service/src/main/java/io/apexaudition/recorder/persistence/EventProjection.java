package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;

import java.sql.SQLException;
import java.util.List;

/**
 * How one family of events becomes rows: each event's values for the {@link Table}s it writes. A projection
 * only adds rows; every table's statement decides how they meet the rows already there, so a family's events
 * converge whatever order they arrive in, among themselves and with the other families'.
 */
interface EventProjection {
    /** The event types this projection writes. */
    List<Class<? extends ApexEvent>> events();

    /** Adds the event's rows. */
    void write(ApexEvent event, Rows rows) throws SQLException;
}
