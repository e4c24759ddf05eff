package io.apexaudition.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml, strictly: the Compose fields this file uses, as records; any other field fails the load
 * (add it here when the file needs it). Values are interpolated as Compose does with no .env: {@code ${X:-d}}
 * gives d, {@code ${X:?msg}} is a value the user must set (kept as {@link #REQUIRED}).
 */
record Compose(String name, Map<String, Service> services, Map<String, Map<String, Object>> volumes) {
    static final String FILE = "docker-compose.yml";
    static final String REQUIRED = "<required from .env>";

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([-?])([^}]*))?}");

    record Service(String image, Build build, List<String> profiles, Map<String, String> environment,
                   List<String> ports, List<String> volumes, Healthcheck healthcheck,
                   @JsonProperty("depends_on") Map<String, DependsOn> dependsOn, List<String> entrypoint,
                   List<String> command, @JsonProperty("read_only") Boolean readOnly, List<String> tmpfs,
                   String restart) {
        public Map<String, String> environment() {
            return environment == null ? Map.of() : environment;
        }

        public Map<String, DependsOn> dependsOn() {
            return dependsOn == null ? Map.of() : dependsOn;
        }

        public List<String> profiles() {
            return profiles == null ? List.of() : profiles;
        }

        /** The environment as the container sees it without a .env file. */
        Map<String, String> resolvedEnvironment() {
            Map<String, String> resolved = new LinkedHashMap<>();
            environment().forEach((k, v) -> resolved.put(k, interpolate(v)));
            return resolved;
        }
    }

    record Build(String context, String dockerfile) {
    }

    record Healthcheck(List<String> test, String interval, String timeout, Integer retries,
                       @JsonProperty("start_period") String startPeriod) {
    }

    record DependsOn(String condition, Boolean required) {
    }

    static Compose load() {
        List<JsonNode> docs = StrictYaml.documents(RepoFiles.read(FILE), FILE);
        if (docs.size() != 1) {
            throw new AssertionError(FILE + " should hold one YAML document");
        }
        return StrictYaml.convert(docs.get(0), Compose.class, FILE);
    }

    Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new AssertionError(FILE + " has no service '" + name + "'");
        }
        return service;
    }

    static String interpolate(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) == null ? "" : m.group(2).equals("?") ? REQUIRED : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
