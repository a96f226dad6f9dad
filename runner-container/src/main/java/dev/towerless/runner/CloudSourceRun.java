package dev.towerless.runner;

import dev.towerless.core.inventory.InventoryPluginInjector;
import dev.towerless.core.inventory.InventorySourceKinds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud part of an inventory update (AWX's {@code pseudo_build_inventory} and the injector's
 * {@code build_env}): the plugin file in the private data dir's {@code inventory/}, and the
 * environment that carries the source credential. The plugin file holds only the source's
 * variables; secrets reach the plugin through the environment and 0600 files.
 */
final class CloudSourceRun {
    private CloudSourceRun() {
    }

    /** Writes {@code inventoryPath} and returns what the injector adds to the environment. */
    static Map<String, String> plugin(RunContext ctx, String kind, InventoryPluginInjector injector, Map<String, Object> sourceVars,
                                      Path inventoryPath) throws IOException {
        Optional<JobCredentials.Managed> credential = cloudCredential(ctx, kind);
        Map<String, String> inputs = credential.map(JobCredentials.Managed::inputs).orElse(Map.of());
        // JSON is YAML: ansible's YAML loader reads the file as AWX's safe_dump output.
        PrivateFiles.write(inventoryPath, ctx.variables.toJson(injector.inventoryAsDict(sourceVars, inputs)));
        CredentialFiles files = CredentialFiles.of(ctx, credential.map(JobCredentials.Managed::credentialId).orElse(0L));
        Map<String, String> env = injector.env(Long.toString(ctx.job.id()), credential.map(JobCredentials.Managed::namespace).orElse(null),
                inputs, sourceVars, files);
        files.check();
        return env;
    }

    /** AWX's {@code get_cloud_credential}: the source's credential of the source's cloud. */
    static Optional<JobCredentials.Managed> cloudCredential(RunContext ctx, String kind) {
        String namespace = InventorySourceKinds.credentialNamespace(kind);
        return ctx.credentials.managed().stream().filter(c -> c.namespace().equals(namespace)).findFirst();
    }
}
