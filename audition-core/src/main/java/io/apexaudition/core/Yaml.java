package io.apexaudition.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the project's YAML configuration strictly: an unknown key (a typo) is an error, not ignored. */
final class Yaml {
    private static final ObjectMapper MAPPER = YAMLMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .build();

    private Yaml() {
    }

    static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + " does not exist: give the path of a " + type.getSimpleName()
                    + " file (see config/ in the repository)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), type);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static <T> T read(InputStream in, String name, Class<T> type) {
        try {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new ConfigException(name + " is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(name + ": unknown key '" + e.getPropertyName() + "' (line "
                    + e.getLocation().getLineNr() + "); known keys are " + e.getKnownPropertyIds()
                    + ". Fix the spelling or remove it.", e);
        } catch (IOException e) {
            throw new ConfigException(name + " is not valid YAML for " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
