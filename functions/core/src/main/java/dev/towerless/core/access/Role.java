package dev.towerless.core.access;

import java.util.List;
import java.util.Optional;

/**
 * One role: a role field of one object ({@code job_template} 5's {@code execute_role}) or one of
 * the two singletons. Its id is computed from what it is, so an object's roles exist as soon as the
 * object does, with nothing to create, keep in step or leave behind when it goes: the id packs the
 * object's id, the model's place in {@link RoleCatalogue#TYPES} and the field's place in its model.
 */
public record Role(String contentType, long objectId, String field) {
    private static final int FIELDS = 16;
    private static final int PER_OBJECT = 256;

    public static final Role SYSTEM_ADMINISTRATOR = new Role(null, 0, RoleCatalogue.SYSTEM_ADMINISTRATOR);
    public static final Role SYSTEM_AUDITOR = new Role(null, 0, RoleCatalogue.SYSTEM_AUDITOR);
    private static final List<Role> SINGLETONS = List.of(SYSTEM_ADMINISTRATOR, SYSTEM_AUDITOR);

    public static Role of(String type, long objectId, String field) {
        if (RoleCatalogue.definition(type, field).isEmpty()) {
            throw new IllegalArgumentException(type + " has no " + field);
        }
        return new Role(type, objectId, field);
    }

    public boolean isSingleton() {
        return contentType == null;
    }

    public long id() {
        if (isSingleton()) {
            return SINGLETONS.indexOf(this) + 1L;
        }
        int type = RoleCatalogue.TYPES.indexOf(contentType) + 1;
        int index = RoleCatalogue.rolesOf(contentType).stream().map(RoleDefinition::field).toList().indexOf(field);
        return objectId * PER_OBJECT + (long) type * FIELDS + index;
    }

    /** The role with this id, if the id names one (whether its object exists is for the caller to check). */
    public static Optional<Role> ofId(long id) {
        if (id <= 0) {
            return Optional.empty();
        }
        if (id < PER_OBJECT) {
            return id <= SINGLETONS.size() ? Optional.of(SINGLETONS.get((int) id - 1)) : Optional.empty();
        }
        long objectId = id / PER_OBJECT;
        int rest = (int) (id % PER_OBJECT);
        int type = rest / FIELDS - 1;
        int index = rest % FIELDS;
        if (type < 0 || type >= RoleCatalogue.TYPES.size()) {
            return Optional.empty();
        }
        String contentType = RoleCatalogue.TYPES.get(type);
        List<RoleDefinition> fields = RoleCatalogue.rolesOf(contentType);
        return index < fields.size() ? Optional.of(new Role(contentType, objectId, fields.get(index).field()))
                : Optional.empty();
    }

    public RoleDefinition definition() {
        if (isSingleton()) {
            return new RoleDefinition(field, RoleCatalogue.singletonName(field), RoleCatalogue.singletonDescription(field),
                    List.of());
        }
        return RoleCatalogue.definition(contentType, field).orElseThrow();
    }

    @Override
    public String toString() {
        return isSingleton() ? field : contentType + "-" + objectId + "." + field;
    }
}
