package dev.towerless.aws.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.resources.VariablesCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** AWX accepts variables as JSON or YAML text; both must hold a dictionary (or be empty). */
public final class JsonYamlVariables implements VariablesCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object parsed;
        try {
            parsed = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException notJson) {
            try {
                parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            } catch (YAMLException notYaml) {
                throw new IllegalArgumentException("neither JSON nor YAML: " + notYaml.getMessage());
            }
        }
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("variables must be a dictionary");
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    @Override
    public String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
