package dev.towerless.core.ports;

import dev.towerless.core.resources.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Organizations, inventories, hosts, credentials, projects, templates, users and tokens. */
public interface ResourceStore {

    /** Stores a new resource under a fresh id of its type. */
    Resource create(String type, Map<String, Object> fields);

    /**
     * Stores a resource under an id the caller chose (built-in objects); fails if taken. The
     * type's id sequence moves past that id, so {@link #create} never hands it out again.
     */
    Resource insert(Resource resource);

    Optional<Resource> get(String type, long id);

    /** Lookup by the {@code name} field within a type (users by username, tokens by digest). */
    Optional<Resource> findByName(String type, String name);

    /**
     * As {@link #findByName}, but the copy the name index holds, not read again from the item: one
     * round trip instead of two, and it may lag the latest write (DynamoDB's indexes are
     * eventually consistent). For a caller that reads the item again anyway, together with what
     * it names (a token and its user, in one batch).
     */
    default Optional<Resource> findByNameInIndex(String type, String name) {
        return findByName(type, name);
    }

    /** Applies {@code changes} to an existing resource; empty if it does not exist. */
    Optional<Resource> update(String type, long id, Map<String, Object> changes);

    /**
     * Applies {@code changes} only if {@code field} still holds {@code expected} ({@code null}:
     * the field is absent or null). Empty if the resource is missing or the field moved on.
     */
    Optional<Resource> updateIf(String type, long id, String field, Object expected, Map<String, Object> changes);

    /** Several resources of one type in one round trip; missing ids are left out. */
    Map<Long, Resource> getMany(String type, java.util.Collection<Long> ids);

    /**
     * Resources of several types by id, by type: what one page of a list mentions (its rows'
     * templates, projects, inventories, credentials), read together rather than one round trip
     * each; missing ids are left out. The default reads type by type; a store that can read
     * mixed keys at once (DynamoDB's BatchGetItem) does.
     */
    default Map<String, Map<Long, Resource>> getMany(Map<String, ? extends java.util.Collection<Long>> idsByType) {
        Map<String, Map<Long, Resource>> out = new java.util.HashMap<>();
        idsByType.forEach((type, ids) -> {
            if (!ids.isEmpty()) {
                out.put(type, getMany(type, ids));
            }
        });
        return out;
    }

    boolean delete(String type, long id);

    Page<Resource> list(String type, PageRequest page);

    /** Every resource of a type, in id order (for filtered listings). */
    List<Resource> all(String type);

    /**
     * The first {@code limit} resources of a type in id order (fewer if the type has fewer): a
     * filter no index serves reads this much at most, and says so when the type holds more.
     */
    List<Resource> first(String type, int limit);

    /**
     * Every resource of a type whose natural key ({@link dev.towerless.core.resources.ResourceTypes#naturalKeyField})
     * is {@code name}, in id order, read from the name index: hosts of different inventories may
     * share a name. Reads only the matches.
     */
    List<Resource> named(String type, String name);

    /**
     * How many resources of a type exist, without reading them: a counter kept beside the type
     * (DynamoDB: an item of the sequences table), moved only by an insert that stored a new item
     * and a delete that removed one, so a redelivered write does not count twice. A counter
     * nobody has kept yet is made by counting once. So a system job may count users or
     * credentials it may not read, and a list page shows {@code count} without reading the type.
     */
    long count(String type);

    /**
     * The nightly repair: counts the type by reading it, sets its counter to that (whatever
     * drift two unordered writes left), and rewrites the index keys an item lacks (items an
     * older version stored before a type was indexed by its parent). Returns the count.
     */
    long recount(String type);

    /** Every resource of a type whose {@code field} equals {@code value} (e.g. hosts of inventory 3). */
    List<Resource> where(String type, String field, Object value);

    /**
     * The {@code limit} newest (highest id) of {@link #where}'s resources, newest first: a notification
     * template's five latest notifications. From its parent's index, a store reads only those.
     */
    default List<Resource> newestWhere(String type, String field, Object value, int limit) {
        return where(type, field, value).stream().sorted(java.util.Comparator.comparingLong(Resource::id).reversed())
                .limit(limit).toList();
    }

    /** Next value of a named sequence (ids of jobs and resources share these). */
    long nextId(String sequence);
}
