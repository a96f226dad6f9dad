package dev.towerless.core.access;

/** A refusal the API answers with 403 and this message (AWX's PermissionDenied). */
public final class AccessDenied extends RuntimeException {
    public static final String GENERIC = "You do not have permission to perform this action.";

    public AccessDenied(String message) {
        super(message);
    }

    /** Refuses with the reason, if there is one (a rule that answers why, such as an organization's max_hosts). */
    public static void throwIf(java.util.Optional<String> refusal) {
        if (refusal.isPresent()) {
            throw new AccessDenied(refusal.get());
        }
    }

    public static AccessDenied generic() {
        return new AccessDenied(GENERIC);
    }
}
