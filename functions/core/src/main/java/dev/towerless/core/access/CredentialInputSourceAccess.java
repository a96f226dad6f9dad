package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.USE;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AWX's {@code CredentialInputSourceAccess}: an input source is seen by whoever can read its
 * target credential; created and changed by an admin of the target who may use the source (an
 * input source makes the source credential's secret flow into the target's jobs); deleted by an
 * admin of the target.
 */
public final class CredentialInputSourceAccess extends ModelAccess {
    CredentialInputSourceAccess() {
        super(ResourceTypes.CREDENTIAL_INPUT_SOURCE, List.of("delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return r.reference("target_credential").map(t -> a.holds(ResourceTypes.CREDENTIAL, t, READ)).orElse(false);
    }

    /** {@code data}: the target_credential and source_credential (ids). */
    @Override
    public boolean canAdd(Access a, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        Long target = asId(data.get("target_credential"));
        Long source = asId(data.get("source_credential"));
        return target != null && source != null && a.holds(ResourceTypes.CREDENTIAL, target, ADMIN)
                && a.holds(ResourceTypes.CREDENTIAL, source, USE);
    }

    /** The new target and source (where given) and the current ones: admin of the target, use of the source. */
    @Override
    public boolean canChange(Access a, Resource r, Map<String, Object> data) {
        if (a.isSuperuser()) {
            return true;
        }
        Long target = data.containsKey("target_credential") ? asId(data.get("target_credential")) : r.reference("target_credential").orElse(null);
        Long source = data.containsKey("source_credential") ? asId(data.get("source_credential")) : r.reference("source_credential").orElse(null);
        return target != null && source != null && a.holds(ResourceTypes.CREDENTIAL, target, ADMIN)
                && a.holds(ResourceTypes.CREDENTIAL, source, USE)
                && r.reference("target_credential").map(t -> a.holds(ResourceTypes.CREDENTIAL, t, ADMIN)).orElse(false)
                && r.reference("source_credential").map(s -> a.holds(ResourceTypes.CREDENTIAL, s, USE)).orElse(false);
    }

    @Override
    public boolean canDelete(Access a, Resource r) {
        return a.isSuperuser() || r.reference("target_credential").map(t -> a.holds(ResourceTypes.CREDENTIAL, t, ADMIN)).orElse(false);
    }

    /** Input sources have no roles of their own: a list reads them all and asks {@link #canSee} of each. */
    @Override
    public Optional<Set<Long>> candidates(Access a) {
        return Optional.empty();
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return name.equals("delete") ? canDelete(a, r) : super.capability(a, r, name, earlier);
    }
}
