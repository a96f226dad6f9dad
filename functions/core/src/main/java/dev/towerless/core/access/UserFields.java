package dev.towerless.core.access;

/** Fields of a user that access rules read. */
public final class UserFields {
    public static final String USERNAME = "username";
    public static final String IS_SUPERUSER = "is_superuser";
    public static final String IS_SYSTEM_AUDITOR = "is_system_auditor";

    private UserFields() {
    }
}
