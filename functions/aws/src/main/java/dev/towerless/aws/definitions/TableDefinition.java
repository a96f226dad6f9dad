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

    /** What an index holds besides its keys: every attribute, or nothing (its readers fetch the items). */
    public enum Projection { ALL, KEYS_ONLY }

    /**
     * A global secondary index. A {@code KEYS_ONLY} one is not written when an item changes only
     * attributes outside its keys (a cancel flag, an explanation), so it costs no write unit then and cannot become a
     * hot key that way.
     */
    public record Index(String name, Key partitionKey, Optional<Key> sortKey, Projection projection) {
        public Index(String name, Key partitionKey, Optional<Key> sortKey) {
            this(name, partitionKey, sortKey, Projection.ALL);
        }
    }

    public String physicalName(String prefix) {
        return prefix + logicalName;
    }
}
