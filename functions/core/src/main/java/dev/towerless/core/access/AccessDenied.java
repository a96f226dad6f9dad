package dev.towerless.core.access;

/** A refusal the API answers with 403 and this message (AWX's PermissionDenied). */
public final class AccessDenied extends RuntimeException {
    public static final String GENERIC = "You do not have permission to perform this action.";

    public AccessDenied(String message) {
        super(message);
    }

    public static AccessDenied generic() {
        return new AccessDenied(GENERIC);
    }
}
