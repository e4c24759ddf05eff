package io.apexaudition.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The local stack as {@code local-stack.properties} defines it, once: {@code ./apex} reads the same file (in bash),
 * the CLI takes its default URLs from it, {@code apex bench} and the end-to-end tests start their service processes
 * from it. Values are resolved against an environment the way {@code ./apex} resolves them ({@code KEY.variable}).
 */
public record LocalStack(int kafkaPort, int kafkaControllerPort, List<String> kafkaJvmOptions, int postgresPort,
                         List<String> postgresJvmOptions, List<Service> services) {

    /** The definition on the classpath; in the repository: apex-cli/src/main/resources/local-stack.properties. */
    public static final String RESOURCE = "/local-stack.properties";
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    private static final Pattern PAIR = Pattern.compile("[A-Z][A-Z0-9_]*=\\S*");

    /**
     * One service of the stack.
     *
     * @param env                  set whatever the caller's environment holds
     * @param envDefaults          set unless the caller's environment has the variable
     * @param simulatorEnvDefaults as {@code envDefaults}, while both providers are the simulator
     * @param callsProviders       whether it gets the provider base URLs (and the providers' env defaults)
     */
    public record Service(String name, String module, int port, String health, List<String> jvmOptions,
                          Map<String, String> env, Map<String, String> envDefaults,
                          Map<String, String> simulatorEnvDefaults, boolean callsProviders) {

        /** Where {@code ./apex up} serves it. */
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** The packaged jar of its module under the repository root. */
        public Path jar(Path root) {
            Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services first ('./apex build', or "
                        + "./mvnw package -DskipTests)");
            }
            return jar;
        }

        /**
         * Puts its environment into a process's ({@code ProcessBuilder.environment()}, which starts as the caller's):
         * the defaults where the variable is missing or empty, then the fixed settings.
         */
        public void applyTo(Map<String, String> processEnv) {
            envDefaults.forEach((k, v) -> {
                if (processEnv.getOrDefault(k, "").isEmpty()) {
                    processEnv.put(k, v);
                }
            });
            processEnv.putAll(env);
        }
    }

    /** The definition on the classpath, resolved against this process's environment. */
    public static LocalStack load() {
        return Holder.STACK;
    }

    /** Read once: the file does not change while a JVM runs. */
    private static final class Holder {
        static final LocalStack STACK = read(System.getenv());
    }

    /** The definition on the classpath, resolved against {@code environment} (its variables, nothing else). */
    public static LocalStack read(Map<String, String> environment) {
        try (InputStream in = LocalStack.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: apex-cli's jar is incomplete");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), environment::get);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static LocalStack parse(List<String> lines, Function<String, String> environment) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = RESOURCE + " line " + (i + 1) + " ('" + line + "')";
            if (eq < 0 || !KEY.matcher(line.substring(0, eq)).matches()) {
                throw new IllegalArgumentException(where + ": not key=value with a lower-case key");
            }
            if (line.contains("\\")) {
                throw new IllegalArgumentException(where + ": no escapes or continuation lines (./apex reads the "
                        + "file in bash)");
            }
            if (raw.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(where + ": " + line.substring(0, eq) + " is set twice");
            }
        }
        Values values = new Values(raw, environment);
        List<Service> services = new ArrayList<>();
        for (String name : words(values.required("services"))) {
            String jvm = values.get(name + ".jvm-options");
            Map<String, String> defaults = pairs(values, "default.env-defaults");
            addOnce(defaults, pairs(values, name + ".env-defaults"), name);
            boolean callsProviders = Boolean.parseBoolean(values.get(name + ".calls-providers"));
            if (callsProviders) {
                addOnce(defaults, pairs(values, "providers.env-defaults"), name);
            }
            String health = values.get(name + ".health");
            services.add(new Service(name, values.required(name + ".module"), values.port(name + ".port"),
                    health.isEmpty() ? values.required("default.health") : health,
                    words(jvm.isEmpty() ? values.required("default.jvm-options") : jvm),
                    ordered(pairs(values, name + ".env")), ordered(defaults),
                    ordered(pairs(values, name + ".simulator-env-defaults")), callsProviders));
        }
        return new LocalStack(values.port("kafka.port"), values.port("kafka.controller-port"),
                words(values.required("kafka.jvm-options")), values.port("postgres.port"),
                words(values.required("postgres.jvm-options")), List.copyOf(services));
    }

    /** The file's values, each replaced by its {@code KEY.variable}'s value when that is set and not empty. */
    private record Values(Map<String, String> raw, Function<String, String> environment) {
        String get(String key) {
            String variable = raw.get(key + ".variable");
            String fromEnv = variable == null ? null : environment.apply(variable);
            return fromEnv != null && !fromEnv.isBlank() ? fromEnv : raw.getOrDefault(key, "");
        }

        String required(String key) {
            String value = get(key);
            if (value.isBlank()) {
                throw new IllegalArgumentException(RESOURCE + " has no " + key + ": add '" + key + "=...'");
            }
            return value;
        }

        int port(String key) {
            String value = required(key);
            try {
                int port = Integer.parseInt(value.trim());
                if (port > 0 && port < 65536) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            String variable = raw.get(key + ".variable");
            throw new IllegalArgumentException(key + " is '" + value + "', not a port (1-65535): fix it in "
                    + RESOURCE + (variable == null ? "" : " or in " + variable));
        }
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.copyOf(Arrays.asList(value.trim().split("\\s+")));
    }

    /** One default per variable: ./apex would pass both, in their order, where a map keeps one. */
    private static void addOnce(Map<String, String> defaults, Map<String, String> more, String service) {
        more.forEach((k, v) -> {
            if (defaults.put(k, v) != null) {
                throw new IllegalArgumentException(service + " gets a default for " + k + " twice (default., its "
                        + "own and providers.env-defaults): keep one in " + RESOURCE);
            }
        });
    }

    /** Unmodifiable, in the file's order (the order {@code ./apex stack} prints them in). */
    private static Map<String, String> ordered(Map<String, String> pairs) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
    }

    private static Map<String, String> pairs(Values values, String key) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : words(values.get(key))) {
            if (!PAIR.matcher(pair).matches()) {
                throw new IllegalArgumentException(key + " holds '" + pair + "': write NAME=value pairs, separated "
                        + "by spaces, in " + RESOURCE);
            }
            pairs.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return pairs;
    }

    /** The service of that name; the names are those of the file's {@code services} line. */
    public Service service(String name) {
        return services.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the local stack has no service '" + name + "'; it has "
                        + services.stream().map(Service::name).toList()));
    }

    /** The first service (in start order) that runs {@code module}'s jar. */
    public Service serviceOfModule(String module) {
        return services.stream().filter(s -> s.module.equals(module)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no service of the local stack runs module '" + module + "'"));
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The embedded Postgres's URL: the database {@code ./apex up} starts unless APEX_DB_URL names another. */
    public String postgresJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    /**
     * The definition resolved, one {@code key=value} line each, in the order {@code ./apex stack} prints it (which
     * resolves the file in bash; ApexScriptTest holds the two to the same text).
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        line(out, "kafka.port", Integer.toString(kafkaPort));
        line(out, "kafka.controller-port", Integer.toString(kafkaControllerPort));
        line(out, "kafka.jvm-options", String.join(" ", kafkaJvmOptions));
        line(out, "postgres.port", Integer.toString(postgresPort));
        line(out, "postgres.jvm-options", String.join(" ", postgresJvmOptions));
        for (Service s : services) {
            line(out, s.name + ".module", s.module);
            line(out, s.name + ".port", Integer.toString(s.port));
            line(out, s.name + ".health", s.health);
            line(out, s.name + ".jvm-options", String.join(" ", s.jvmOptions));
            line(out, s.name + ".env", joined(s.env));
            line(out, s.name + ".env-defaults", joined(s.envDefaults));
            line(out, s.name + ".simulator-env-defaults", joined(s.simulatorEnvDefaults));
            line(out, s.name + ".calls-providers", Boolean.toString(s.callsProviders));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }

    private static String joined(Map<String, String> pairs) {
        return String.join(" ", pairs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /**
     * The CLI's default URLs as system properties ({@code apex.local-stack.*}), which the options' defaults name
     * ({@link StackOptions}); a property already set is kept.
     */
    static void publishDefaults() {
        LocalStack stack = load();
        for (Service s : stack.services) {
            System.getProperties().putIfAbsent("apex.local-stack." + s.name + ".url", s.url());
        }
        System.getProperties().putIfAbsent("apex.local-stack.kafka", stack.kafkaBootstrapServers());
    }

    /** Prints the definition resolved against this environment ({@link #describe()}). */
    public static void main(String[] args) {
        System.out.print(load().describe());
    }
}
