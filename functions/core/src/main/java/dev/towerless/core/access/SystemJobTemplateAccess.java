package dev.towerless.core.access;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.List;

/** Management jobs are the superusers' (system auditors may look). */
public final class SystemJobTemplateAccess extends ModelAccess {
    public static final String SUPERUSER_NEEDED = "Superuser privileges needed.";

    SystemJobTemplateAccess() {
        super(ResourceTypes.SYSTEM_JOB_TEMPLATE, List.of("start", "schedule"));
    }

    @Override
    protected boolean canRead(Access a, Resource r) {
        return false;
    }
}
