package dev.towerless.core.resources;

import java.util.Map;

/** Reads and writes AWX's variables text (JSON or YAML dictionaries); supplied by the adapters. */
public interface VariablesCodec {

    /** @throws IllegalArgumentException if the text is neither a JSON nor a YAML dictionary */
    Map<String, Object> parse(String text);

    String toJson(Object value);
}
