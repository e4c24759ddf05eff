package io.apexaudition.viewer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the viewer pages the matrix and the errors, and streams exports. */
@ConfigMapping(prefix = "apex.viewer")
public interface ViewerConfig {

    /** Prompts per matrix page when the caller names no size. */
    @WithDefault("20")
    int defaultPageSize();

    /** The largest page a caller may ask for: a page is held in memory while it is written. */
    @WithDefault("200")
    int maxPageSize();

    /** Errors per page of the errors view when the caller names no size (at most {@link #maxPageSize()}). */
    @WithDefault("100")
    int errorsPageSize();

    /** Rows the exports' cursor fetches per round trip: bounds its memory whatever the run's size. */
    @WithDefault("500")
    int exportFetchSize();
}
