package dev.towerless.core.jobs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One unified job of any kind, as an immutable map of AWX field names to plain values
 * (String, Number, Boolean, List, Map, null). Keeping AWX's names end to end means the store
 * and the API need no per-field mapping; the typed accessors below are the core's view.
 */
public final class UnifiedJob {
    private final Map<String, Object> fields;
    /** Computed on first use: the scheduler compares it for every pending job in every pass. */
    private String orderKey;

    private UnifiedJob(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static UnifiedJob of(Map<String, Object> fields) {
        if (!(fields.get(JobFields.ID) instanceof Number)) {
            throw new IllegalArgumentException("a job needs a numeric id");
        }
        if (!(fields.get(JobFields.TYPE) instanceof String)) {
            throw new IllegalArgumentException("a job needs a type");
        }
        return new UnifiedJob(fields);
    }

    /** A fresh pending job: what a launch, a schedule or the dependency manager creates. */
    public static UnifiedJob newPending(long id, JobKind kind, String name, LaunchType launchType,
                                        Instant now, Map<String, Object> kindFields) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(JobFields.ID, id);
        f.put(JobFields.TYPE, kind.type());
        f.put(JobFields.NAME, name);
        f.put(JobFields.DESCRIPTION, "");
        String created = Timestamps.format(now);
        f.put(JobFields.CREATED, created);
        f.put(JobFields.MODIFIED, created);
        f.put(JobFields.STATUS, JobStatus.PENDING.apiName());
        f.put(JobFields.FAILED, false);
        f.put(JobFields.STARTED, null);
        f.put(JobFields.FINISHED, null);
        f.put(JobFields.ELAPSED, 0.0);
        f.put(JobFields.JOB_EXPLANATION, "");
        f.put(JobFields.LAUNCH_TYPE, launchType.apiName());
        f.put(JobFields.CANCEL_FLAG, false);
        f.put(JobFields.EXECUTION_NODE, "");
        f.putAll(kindFields);
        return new UnifiedJob(f);
    }

    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * AWX's order of work as a string: {@code created}, then the id zero-padded, so that string
     * order is oldest first (what the dependency manager stores as its watermark).
     */
    public String orderKey() {
        String k = orderKey;
        if (k == null) {
            String id = Long.toString(id());
            k = fields.get(JobFields.CREATED) + "|" + "00000000000000000000".substring(id.length()) + id;
            orderKey = k;
        }
        return k;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public long id() {
        return ((Number) fields.get(JobFields.ID)).longValue();
    }

    public JobKind kind() {
        return JobKind.fromType((String) fields.get(JobFields.TYPE));
    }

    public String name() {
        return string(JobFields.NAME).orElse("");
    }

    public JobStatus status() {
        return JobStatus.fromApiName((String) fields.get(JobFields.STATUS));
    }

    public boolean failed() {
        return Boolean.TRUE.equals(fields.get(JobFields.FAILED));
    }

    public boolean cancelFlag() {
        return Boolean.TRUE.equals(fields.get(JobFields.CANCEL_FLAG));
    }

    public Instant created() {
        return Timestamps.parse((String) fields.get(JobFields.CREATED));
    }

    public Optional<Instant> started() {
        return string(JobFields.STARTED).map(Timestamps::parse);
    }

    public Optional<Instant> finished() {
        return string(JobFields.FINISHED).map(Timestamps::parse);
    }

    public double elapsed() {
        Object v = fields.get(JobFields.ELAPSED);
        return v instanceof Number n ? n.doubleValue() : 0.0;
    }

    public String jobExplanation() {
        return string(JobFields.JOB_EXPLANATION).orElse("");
    }

    public Optional<Long> longField(String field) {
        Object v = fields.get(field);
        return v instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    public Optional<String> string(String field) {
        Object v = fields.get(field);
        return v instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public List<Long> longList(String field) {
        Object v = fields.get(field);
        if (!(v instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(o -> ((Number) o).longValue()).toList();
    }

    /** A copy with the given fields replaced; used to apply a store write locally. */
    public UnifiedJob with(Map<String, Object> changes) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.putAll(changes);
        return new UnifiedJob(copy);
    }

    @Override
    public String toString() {
        return kind().type() + "-" + id() + "(" + status().apiName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnifiedJob other && other.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }
}
