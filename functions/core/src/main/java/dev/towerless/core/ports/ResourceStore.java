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

    /** Applies {@code changes} to an existing resource; empty if it does not exist. */
    Optional<Resource> update(String type, long id, Map<String, Object> changes);

    /**
     * Applies {@code changes} only if {@code field} still holds {@code expected} ({@code null}:
     * the field is absent or null). Empty if the resource is missing or the field moved on.
     */
    Optional<Resource> updateIf(String type, long id, String field, Object expected, Map<String, Object> changes);

    /** Several resources of one type in one round trip; missing ids are left out. */
    Map<Long, Resource> getMany(String type, java.util.Collection<Long> ids);

    boolean delete(String type, long id);

    Page<Resource> list(String type, PageRequest page);

    /** Every resource of a type, in id order (for filtered listings). */
    List<Resource> all(String type);

    /**
     * How many resources of a type exist, without reading them (DynamoDB: a Query with
     * {@code Select=COUNT}), so a system job may count users or credentials it may not read.
     */
    long count(String type);

    /** Every resource of a type whose {@code field} equals {@code value} (e.g. hosts of inventory 3). */
    List<Resource> where(String type, String field, Object value);

    /** Next value of a named sequence (ids of jobs and resources share these). */
    long nextId(String sequence);
}
