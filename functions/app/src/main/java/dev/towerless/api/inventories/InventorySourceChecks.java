package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.core.inventory.InventorySourceKinds;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.Map;

/**
 * What AWX's InventorySourceSerializer checks against other objects: a credential set in the
 * request must be of the source's cloud ({@code cloud_credential_validation}), and no source
 * variable may be named like a blocked environment variable ({@code validate_source_vars}).
 */
final class InventorySourceChecks {
    private InventorySourceChecks() {
    }

    /** {@code merged}: the source as it would be stored; {@code input}: what the request sent. */
    static void check(ApiContext ctx, Map<String, Object> merged, Map<String, Object> input) {
        Object source = merged.get("source");
        if (input.containsKey("source_vars") && merged.get("source_vars") instanceof String vars && !vars.isBlank()) {
            InventorySourceKinds.sourceVarsProblem(ctx.variables().parse(vars))
                    .ifPresent(problem -> {
                        throw ApiException.field("source_vars", problem);
                    });
        }
        if (input.containsKey("credential")) {
            Resource credential = merged.get("credential") instanceof Number id
                    ? ctx.resources().get(ResourceTypes.CREDENTIAL, id.longValue()).orElse(null) : null;
            String namespace = credential == null ? null : credential.string("namespace").orElse("");
            String kind = credential == null ? null : credential.string("kind").orElse("");
            InventorySourceKinds.credentialProblem(source == null ? null : source.toString(), namespace, kind)
                    .ifPresent(problem -> {
                        throw ApiException.field("credential", problem);
                    });
        }
    }

    /** AWX's {@code can_update} of the source itself (a file source never, gce only with its credential). */
    static boolean updatable(ApiContext ctx, Resource source) {
        String namespace = source.reference("credential").flatMap(id -> ctx.resources().get(ResourceTypes.CREDENTIAL, id))
                .flatMap(c -> c.string("namespace")).orElse(null);
        return InventorySourceKinds.canUpdate(source.string("source").orElse("scm"), source.reference("source_project").isPresent(),
                namespace);
    }
}
