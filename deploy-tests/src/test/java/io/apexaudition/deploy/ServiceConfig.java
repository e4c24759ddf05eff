package io.apexaudition.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service reads: the keys of its {@code src/main/resources/application.properties} and the environment
 * variables its {@code ${...}} expressions name. A deployment may set a variable only when
 * {@link #reads(String)} says the service reads it; a misspelt name fails.
 * <p>
 * A name is read when it is (1) a property key defined in application.properties, in any profile (Kubernetes
 * ConfigMaps use these names as they are: SmallRye Config reads an environment variable named exactly like the
 * property), (2) its environment form (QUARKUS_HTTP_PORT for quarkus.http.port), (3) a variable an expression
 * names (KAFKA_BOOTSTRAP_SERVERS in {@code ${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}}), or (4) one of
 * {@link #IMAGE_VARIABLES}, read by the image's start script rather than by Quarkus.
 */
final class ServiceConfig {
    /** Read by run-java.sh of the ubi9 openjdk image, not by Quarkus. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO");

    private static final Pattern EXPRESSION_NAME = Pattern.compile("\\$\\{([^:}$]+)");

    final String module;
    private final Properties properties = new Properties();
    private final Set<String> keys = new TreeSet<>();
    private final Set<String> expressionNames = new TreeSet<>();

    private ServiceConfig(String module, String text) {
        this.module = module;
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            Matcher m = EXPRESSION_NAME.matcher(properties.getProperty(key));
            while (m.find()) {
                expressionNames.add(m.group(1));
            }
        }
    }

    static ServiceConfig of(String module) {
        return new ServiceConfig(module, RepoFiles.read(module + "/src/main/resources/application.properties"));
    }

    static ServiceConfig parse(String module, String text) {
        return new ServiceConfig(module, text);
    }

    static String envForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    boolean reads(String name) {
        return keys.contains(name) || expressionNames.contains(name) || IMAGE_VARIABLES.contains(name)
                || keys.stream().anyMatch(key -> envForm(key).equals(name));
    }

    /** Every property key the service defines (any profile), without the profile prefix. */
    Set<String> keys() {
        return java.util.Collections.unmodifiableSet(keys);
    }

    /** The value a property takes (the default profile) with these variables set, expressions expanded. */
    String value(String key, Map<String, String> variables) {
        String raw = lookup(key, variables);
        return raw == null ? null : expand(raw, variables);
    }

    private String lookup(String name, Map<String, String> variables) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        String env = envForm(name);
        if (variables.containsKey(env)) {
            return variables.get(env);
        }
        return properties.getProperty(name);
    }

    private String expand(String text, Map<String, String> variables) {
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        int depth = 0;
        int end = start;
        int colon = -1;
        for (int i = start + 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' && text.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    end = i;
                    break;
                }
                depth--;
            } else if (c == ':' && depth == 0 && colon < 0) {
                colon = i;
            }
        }
        String name = text.substring(start + 2, colon < 0 ? end : colon);
        String found = lookup(name, variables);
        String replacement = found != null ? expand(found, variables)
                : colon < 0 ? "" : expand(text.substring(colon + 1, end), variables);
        return text.substring(0, start) + replacement + expand(text.substring(end + 1), variables);
    }
}
