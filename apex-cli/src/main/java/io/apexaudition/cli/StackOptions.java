package io.apexaudition.cli;

import picocli.CommandLine.Option;

/**
 * Where the stack's parts are, as options every command that needs one shares (picocli mixins): one name, one
 * environment variable and one default each, whatever the command.
 */
public final class StackOptions {
    private StackOptions() {
    }

    /** {@code --planner-url}, for the commands that register, ingest or follow progress. */
    public static final class Planner {
        @Option(names = "--planner-url", defaultValue = "${env:APEX_PLANNER_URL:-http://127.0.0.1:8081}",
                description = "The planner (default: ${DEFAULT-VALUE}; env APEX_PLANNER_URL).")
        public String url;
    }

    /** {@code --bootstrap-servers}, for the commands that publish to Kafka. */
    public static final class Broker {
        @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:19092}",
                description = "The Kafka broker (default: ${DEFAULT-VALUE}; env KAFKA_BOOTSTRAP_SERVERS).")
        public String servers;
    }

    /** {@code --recorder-url}, for the commands that ask the recorder (a rebuild). */
    public static final class Recorder {
        @Option(names = "--recorder-url", defaultValue = "${env:APEX_RECORDER_URL:-http://127.0.0.1:8085}",
                description = "The recorder (default: ${DEFAULT-VALUE}; env APEX_RECORDER_URL).")
        public String url;
    }

    /** {@code --viewer-url}, for the commands that print or time the viewer's pages. */
    public static final class Viewer {
        @Option(names = "--viewer-url", defaultValue = "${env:APEX_VIEWER_URL:-http://127.0.0.1:8087}",
                description = "The results viewer (default: ${DEFAULT-VALUE}; env APEX_VIEWER_URL).")
        public String url;
    }
}
