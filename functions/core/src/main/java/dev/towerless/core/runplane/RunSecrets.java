package dev.towerless.core.runplane;

import dev.towerless.core.credentials.CredentialInputs;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.SecretLookup;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.SecretBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one run may hold in plaintext, and nothing more: the opened inputs of the job's own
 * credentials (with the project's SCM credential, and custom types' injectors), and every sealed
 * value the job item carries (survey password answers, prompted passwords), opened.
 *
 * <p>The control plane gathers it with the sealing key and seals it under a fresh per-job key
 * ({@link #seal}); the bundle travels on the job item ({@link #FIELD}) and the key to that job's
 * runner only. The runner never holds the sealing key, so it cannot open any other credential,
 * and the bundle is removed when the job finishes (see {@code JobTransitions}).
 */
public final class RunSecrets {
    /** The job item's field that holds the sealed bundle while the job is active. */
    public static final String FIELD = JobFields.RUN_SECRETS;

    /** One of the job's credentials, opened: managed types by namespace (their kind), custom ones with their injectors. */
    public record Credential(long id, String kind, boolean managed, Map<String, String> inputs, List<String> secretInputs,
                             Map<String, Object> inputSpec, Map<String, Object> injectors) {
    }

    /** What the runner gets: the key (to its launch only) and the bundle (on the job item). */
    public record Sealed(String key, String bundle) {
    }

    private final List<Credential> credentials;
    private final Map<String, String> opened;

    private RunSecrets(List<Credential> credentials, Map<String, String> opened) {
        this.credentials = List.copyOf(credentials);
        this.opened = Map.copyOf(opened);
    }

    /** Control plane: opens what {@code job} needs, with the sealing key (no external lookups). */
    public static RunSecrets gather(UnifiedJob job, ResourceStore resources, SecretBox sealing) {
        return gather(job, resources, sealing, SecretLookup.NONE);
    }

    /**
     * AWX's {@code pre_start} check found a credential without a required input (after its input
     * sources filled theirs): the job cannot start.
     */
    public static final class CannotStart extends RuntimeException {
        CannotStart(String explanation) {
            super(explanation);
        }
    }

    /**
     * Control plane: opens what {@code job} needs, with the sealing key. Inputs that have an input
     * source are read here, from their external store, with the source credential's inputs: the
     * run plane receives the values, never the source credential.
     *
     * @throws CannotStart when a credential lacks a required input
     * @throws IllegalStateException when a lookup fails (its message carries no secret)
     */
    public static RunSecrets gather(UnifiedJob job, ResourceStore resources, SecretBox sealing, SecretLookup lookup) {
        List<Credential> credentials = new ArrayList<>();
        Set<Long> own = new LinkedHashSet<>(job.longList(JobFields.CREDENTIALS));
        for (long id : credentialIds(job, resources)) {
            Optional<Resource> stored = resources.get(ResourceTypes.CREDENTIAL, id);
            if (stored.isEmpty()) {
                continue;
            }
            Credential c = open(stored.get(), resources, sealing);
            c = withInputSources(stored.get(), c, resources, sealing, lookup);
            if (own.contains(id)) { // AWX checks the job's own credentials (not the project's)
                checkRequired(job, stored.get(), c, resources);
            }
            credentials.add(c);
        }
        Map<String, String> opened = new LinkedHashMap<>();
        job.fields().forEach((k, v) -> {
            if (!FIELD.equals(k)) {
                collectSealed(v, sealing, opened);
            }
        });
        return new RunSecrets(credentials, opened);
    }

    /** The job's credentials plus the project's SCM credential, which the checkout needs. */
    static List<Long> credentialIds(UnifiedJob job, ResourceStore resources) {
        Set<Long> ids = new LinkedHashSet<>(job.longList(JobFields.CREDENTIALS));
        job.longField(JobFields.SCM_CREDENTIAL).ifPresent(ids::add);
        if (job.kind() == JobKind.JOB || job.kind() == JobKind.INVENTORY_UPDATE) {
            job.longField(JobFields.PROJECT).flatMap(p -> resources.get(ResourceTypes.PROJECT, p))
                    .flatMap(p -> p.reference("credential")).ifPresent(ids::add);
        }
        return List.copyOf(ids);
    }

    @SuppressWarnings("unchecked")
    private static Credential open(Resource credential, ResourceStore resources, SecretBox sealing) {
        Map<String, String> inputs = new LinkedHashMap<>();
        List<String> secretInputs = new ArrayList<>();
        if (credential.get("inputs") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v == null) {
                    return;
                }
                String value = v.toString();
                if (SecretBox.isSealed(value)) {
                    value = sealing.open(value);
                    secretInputs.add(k.toString());
                }
                inputs.put(k.toString(), value);
            });
        }
        Optional<Resource> type = credential.reference("credential_type")
                .flatMap(t -> resources.get(ResourceTypes.CREDENTIAL_TYPE, t));
        boolean managed = type.isEmpty() || type.get().flag("managed");
        Map<String, Object> spec = managed ? Map.of() : (Map<String, Object>) type.get().fields().getOrDefault("inputs", Map.of());
        Map<String, Object> injectors = managed ? Map.of()
                : (Map<String, Object>) type.get().fields().getOrDefault("injectors", Map.of());
        // A managed credential goes by its type's namespace (ssh, scm, vault, net, aws, gce…): what the runner injects.
        Object kind = managed && type.isPresent() && type.get().get("namespace") != null
                ? type.get().get("namespace") : credential.get("kind");
        return new Credential(credential.id(), String.valueOf(kind), managed, inputs, secretInputs, spec, injectors);
    }

    /** Fills the inputs that have an input source with what its lookup returns; they count as secrets. */
    private static Credential withInputSources(Resource stored, Credential c, ResourceStore resources, SecretBox sealing,
                                               SecretLookup lookup) {
        List<Resource> sources = resources.where(ResourceTypes.CREDENTIAL_INPUT_SOURCE, "target_credential", stored.id());
        if (sources.isEmpty()) {
            return c;
        }
        Map<String, String> inputs = new LinkedHashMap<>(c.inputs());
        List<String> secretInputs = new ArrayList<>(c.secretInputs());
        for (Resource source : sources.stream().sorted(java.util.Comparator.comparingLong(Resource::id)).toList()) {
            String field = String.valueOf(source.get("input_field_name"));
            Resource external = source.reference("source_credential").flatMap(id -> resources.get(ResourceTypes.CREDENTIAL, id))
                    .orElseThrow(() -> new IllegalStateException("the input source of " + field + " of credential "
                            + stored.name() + " has no source credential"));
            String namespace = external.reference("credential_type").flatMap(t -> resources.get(ResourceTypes.CREDENTIAL_TYPE, t))
                    .map(t -> String.valueOf(t.get("namespace"))).orElse("");
            Map<String, String> metadata = new LinkedHashMap<>();
            if (source.get("metadata") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> metadata.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            }
            try {
                inputs.put(field, lookup.lookup(namespace, openInputs(external, sealing), metadata));
            } catch (SecretLookup.Failed e) {
                throw new IllegalStateException("the lookup of input " + field + " of credential " + stored.name()
                        + " from credential " + external.name() + " failed: " + e.getMessage());
            }
            if (!secretInputs.contains(field)) {
                secretInputs.add(field);
            }
        }
        return new Credential(c.id(), c.kind(), c.managed(), inputs, secretInputs, c.inputSpec(), c.injectors());
    }

    @SuppressWarnings("unchecked")
    private static void checkRequired(UnifiedJob job, Resource stored, Credential c, ResourceStore resources) {
        Map<String, Object> typeInputs = stored.reference("credential_type")
                .flatMap(t -> resources.get(ResourceTypes.CREDENTIAL_TYPE, t))
                .map(t -> (Map<String, Object>) t.fields().getOrDefault("inputs", Map.of())).orElse(Map.of());
        List<String> missing = CredentialInputs.missingRequired(typeInputs, c.inputs(), List.of());
        if (!missing.isEmpty()) {
            throw new CannotStart(CredentialInputs.missingRequiredExplanation(verboseName(job.kind()), stored.name(), missing));
        }
    }

    /** AWX's {@code verbose_name.title()} of each kind of job. */
    private static String verboseName(JobKind kind) {
        return switch (kind) {
            case AD_HOC_COMMAND -> "Ad Hoc Command";
            case INVENTORY_UPDATE -> "Inventory Update";
            case PROJECT_UPDATE -> "Project Update";
            default -> "Job";
        };
    }

    private static Map<String, String> openInputs(Resource credential, SecretBox sealing) {
        Map<String, String> inputs = new LinkedHashMap<>();
        if (credential.get("inputs") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v != null) {
                    inputs.put(k.toString(), SecretBox.isSealed(v.toString()) ? sealing.open(v.toString()) : v.toString());
                }
            });
        }
        return inputs;
    }

    private static void collectSealed(Object value, SecretBox sealing, Map<String, String> opened) {
        if (value instanceof String s) {
            for (String sealed : SecretBox.sealedValuesIn(s)) {
                opened.computeIfAbsent(sealed, sealing::open);
            }
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectSealed(v, sealing, opened));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectSealed(v, sealing, opened));
        }
    }

    /** Seals the bundle under a fresh random key. */
    public Sealed seal(VariablesCodec codec) {
        String key = SecretBox.newBase64Key();
        return new Sealed(key, SecretBox.fromBase64(key).seal(codec.toJson(toMap())));
    }

    /**
     * Run plane: the bundle opened with the key this runner was launched with.
     *
     * @throws IllegalStateException if the key does not open it (another job's bundle, or a wrong key)
     */
    public static RunSecrets open(String bundle, String key, VariablesCodec codec) {
        return fromMap(codec.parse(SecretBox.fromBase64(key).open(bundle)));
    }

    /** Nothing to open (a job with no credentials and no sealed values). */
    public static RunSecrets none() {
        return new RunSecrets(List.of(), Map.of());
    }

    public List<Credential> credentials() {
        return credentials;
    }

    /** The plaintext of a sealed value the job item carries; empty if the control plane did not open it. */
    public Optional<String> opened(String sealed) {
        return Optional.ofNullable(opened.get(sealed));
    }

    /** Every plaintext secret of the run, for redaction. */
    public List<String> secrets() {
        List<String> out = new ArrayList<>(opened.values());
        for (Credential c : credentials) {
            c.secretInputs().forEach(n -> out.add(c.inputs().get(n)));
        }
        return out;
    }

    private Map<String, Object> toMap() {
        List<Map<String, Object>> creds = new ArrayList<>();
        for (Credential c : credentials) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("kind", c.kind());
            m.put("managed", c.managed());
            m.put("inputs", c.inputs());
            m.put("secret_inputs", c.secretInputs());
            m.put("input_spec", c.inputSpec());
            m.put("injectors", c.injectors());
            creds.add(m);
        }
        return Map.of("credentials", creds, "opened", opened);
    }

    @SuppressWarnings("unchecked")
    private static RunSecrets fromMap(Map<String, Object> m) {
        List<Credential> creds = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("credentials", List.of())) {
            Map<String, Object> c = (Map<String, Object>) o;
            Map<String, String> inputs = new LinkedHashMap<>();
            ((Map<String, Object>) c.getOrDefault("inputs", Map.of())).forEach((k, v) -> inputs.put(k, String.valueOf(v)));
            creds.add(new Credential(((Number) c.get("id")).longValue(), String.valueOf(c.get("kind")),
                    Boolean.TRUE.equals(c.get("managed")), inputs,
                    ((List<Object>) c.getOrDefault("secret_inputs", List.of())).stream().map(String::valueOf).toList(),
                    (Map<String, Object>) c.getOrDefault("input_spec", Map.of()),
                    (Map<String, Object>) c.getOrDefault("injectors", Map.of())));
        }
        Map<String, String> opened = new LinkedHashMap<>();
        ((Map<String, Object>) m.getOrDefault("opened", Map.of())).forEach((k, v) -> opened.put(k, String.valueOf(v)));
        return new RunSecrets(creds, opened);
    }
}
