package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;
import java.util.Map;

/** Credential types: everyone sees and uses them; only superusers define them, and never change a managed one. */
public final class CredentialTypeAccess extends ModelAccess {
    CredentialTypeAccess() {
        super(ResourceTypes.CREDENTIAL_TYPE, List.of("edit", "delete"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return true;
    }

    @Override
    protected boolean capability(Access a, Resource r, String name, Map<String, Boolean> earlier) {
        return !r.flag("managed") && super.capability(a, r, name, earlier);
    }
}
