package io.apexaudition.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML into object models, strictly: an unknown or misspelt field is an error. The Kubernetes and Strimzi models
 * keep unknown fields in an "additionalProperties" map ({@code @JsonAnySetter}); this mapper turns that off and
 * ignores any {@code ignoreUnknown}, so {@code readinesProbe:} fails instead of vanishing.
 */
final class StrictYaml {
    static final ObjectMapper MAPPER = YAMLMapper.builder(new YAMLFactory())
            .annotationIntrospector(new StrictIntrospector())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictYaml() {
    }

    /** Every document of a YAML stream, as trees (empty documents dropped). */
    static List<JsonNode> documents(String yaml, String source) {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = MAPPER.getFactory().createParser(yaml)) {
            var it = MAPPER.readValues(parser, JsonNode.class);
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(node);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("Invalid YAML in " + source + ": " + e.getMessage(), e);
        }
        return docs;
    }

    static <T> T convert(JsonNode node, Class<T> type, String where) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError(where + " does not fit the " + type.getSimpleName() + " model strictly: "
                    + e.getMessage() + "\nFix the field name or value in the manifest.", e);
        }
    }

    private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE;
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(
                com.fasterxml.jackson.databind.cfg.MapperConfig<?> config, Annotated a) {
            JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
            return a instanceof AnnotatedClass ? value.withoutIgnoreUnknown() : value;
        }
    }
}
