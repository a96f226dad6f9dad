package dev.towerless.aws.definitions;

import java.util.List;
import java.util.Optional;

/**
 * A DynamoDB table as Towerless needs it. The CDK stack and the embedded local stack both build
 * their tables from these, so the two can never drift apart.
 */
public record TableDefinition(String logicalName, Key partitionKey, Optional<Key> sortKey,
                              List<Index> indexes, Optional<String> ttlAttribute) {

    public enum KeyType { STRING, NUMBER }

    public record Key(String attribute, KeyType type) {
    }

    /** A global secondary index projecting all attributes. */
    public record Index(String name, Key partitionKey, Optional<Key> sortKey) {
    }

    public String physicalName(String prefix) {
        return prefix + logicalName;
    }
}
