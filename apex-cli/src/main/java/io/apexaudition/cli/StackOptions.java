package io.apexaudition.cli;

import picocli.CommandLine.Option;

/**
 * Where the stack's parts are, as options every command that needs one shares (picocli mixins): one name, one
 * environment variable and one default each, whatever the command. The defaults are the local stack's
 * ({@link LocalStack}), published as {@code apex.local-stack.*} system properties when a mixin is first created,
 * before picocli reads its default.
 */
public final class StackOptions {
    private StackOptions() {
    }

    /** Publishes the local stack's defaults before picocli reads a mixin's (its class is initialized first). */
    abstract static class LocalDefaults {
        static {
            LocalStack.publishDefaults();
        }
    }

    /** {@code --planner-url}, for the commands that register, ingest or follow progress. */
    public static final class Planner extends LocalDefaults {
        @Option(names = "--planner-url", defaultValue = "${env:APEX_PLANNER_URL:-${sys:apex.local-stack.planner.url}}",
                description = "The planner (default: ${DEFAULT-VALUE}; env APEX_PLANNER_URL).")
        public String url;
    }

    /** {@code --bootstrap-servers}, for the commands that publish to Kafka. */
    public static final class Broker extends LocalDefaults {
        @Option(names = "--bootstrap-servers",
                defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-${sys:apex.local-stack.kafka}}",
                description = "The Kafka broker (default: ${DEFAULT-VALUE}; env KAFKA_BOOTSTRAP_SERVERS).")
        public String servers;
    }

    /** {@code --recorder-url}, for the commands that ask the recorder (a rebuild). */
    public static final class Recorder extends LocalDefaults {
        @Option(names = "--recorder-url",
                defaultValue = "${env:APEX_RECORDER_URL:-${sys:apex.local-stack.recorder.url}}",
                description = "The recorder (default: ${DEFAULT-VALUE}; env APEX_RECORDER_URL).")
        public String url;
    }

    /** {@code --viewer-url}, for the commands that print or time the viewer's pages. */
    public static final class Viewer extends LocalDefaults {
        @Option(names = "--viewer-url", defaultValue = "${env:APEX_VIEWER_URL:-${sys:apex.local-stack.viewer.url}}",
                description = "The results viewer (default: ${DEFAULT-VALUE}; env APEX_VIEWER_URL).")
        public String url;
    }

    /** {@code --simulator-url}, for the commands that drive the provider simulator (the bench). */
    public static final class Simulator extends LocalDefaults {
        @Option(names = "--simulator-url",
                defaultValue = "${env:APEX_SIMULATOR_URL:-${sys:apex.local-stack.simulator.url}}",
                description = "The provider simulator (default: ${DEFAULT-VALUE}; env APEX_SIMULATOR_URL).")
        public String url;
    }
}
