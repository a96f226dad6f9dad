package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.JobCounters;
import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobFilters;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Jobs in DynamoDB: one item per job, every status change guarded by the expected status.
 *
 * <p>An active job carries {@code active_shard} = {@code active#<id mod 16>}, so the sparse
 * {@code active} index spreads running jobs over 16 partition keys instead of one (a single key
 * takes about 1,000 writes a second, and every status change of an active job writes its entry;
 * heartbeats no longer do: they have their own table, DynamoHeartbeatStore).
 * {@link #active()} reads the 16 keys (and {@code active}, what older stores wrote) in parallel:
 * a bounded number of queries, however many jobs run.
 *
 * <p>Every job carries {@code status_key} = {@code <type>#<status>}, the key of the keys-only
 * {@code by_status_keys} index that serves {@code ?status=} pages. Whatever writes a status (insert,
 * {@link #updateIfStatus}, {@link #updateIfStatusAndUnchanged}: the task manager, runner, reaper,
 * cancel, workflow manager) sets it in the same conditional write; a write that changes no status
 * (a cancel flag, a notification claim) leaves it, so the index is not written.
 *
 * <p>A finished job carries {@code finished_key} = {@code <type>#<launch_type>}, the key of the
 * keys-only {@code by_finished_keys} index, sorted by {@code finished_at} (a copy of
 * {@code finished}), that serves AWX's {@code order_by=-finished}: the write that finishes the job
 * sets both, once.
 *
 * <p>Each job is also listed in the {@code job_filters} table under the keys {@link JobFilters}
 * gives it (its inventory, project and launch type, which change only when an inventory or project is deleted): written after the job's
 * conditional put, as its counters are, and deleted after the job. A writer that dies between the
 * two leaves a job unlisted (or a listed job gone, which a page leaves out) until
 * {@link #repairIndexKeys()} lists every job again.
 */
public final class DynamoJobStore implements JobStore {
    static final String ACTIVE_SHARD = "active_shard";
    /** The one key every active job had before the index was sharded; still read, never written. */
    private static final String LEGACY_ACTIVE = "active";
    private static final String BY_TYPE = "by_type_keys";
    private static final String BY_TEMPLATE = "by_template_keys";
    private static final String BY_STATUS = "by_status_keys";
    static final String STATUS_KEY = "status_key";
    private static final String BY_FINISHED = "by_finished_keys";
    static final String FINISHED_KEY = "finished_key";
    /**
     * The index's sort key: {@code finished}, then the id zero-padded, so that jobs finished at the
     * same instant are in id order on every store (DynamoDB does not order equal sort keys). Not
     * {@code finished} itself: older versions stored a null there on active jobs, and an index
     * key of the wrong type would make those items unwritable.
     */
    static final String FINISHED_AT = "finished_at";
    static final int ACTIVE_SHARDS = 16;
    /**
     * Reads issued beside each other: the active index's 17 partitions, and beside them a page's
     * counters and (for {@link #byFinished}, and a deep page read from its known positions) its
     * first keys. Room for two such pages at once without one read queued behind another. No task
     * waits on this pool (the first keys wait on KeyMerge's readers, whose tasks are single
     * queries), so it cannot deadlock.
     */
    private static final java.util.concurrent.ExecutorService SHARD_READERS = java.util.concurrent.Executors.newFixedThreadPool(
            2 * (ACTIVE_SHARDS + 3), r -> {
                Thread t = new Thread(r, "active-shard-reader");
                t.setDaemon(true);
                return t;
            });
    /**
     * Reads issued beside a page's that themselves wait on {@link #SHARD_READERS} ({@link #active}
     * beside the finished order's counters), so they must not run there. Never queued: a full pool
     * runs the read in the caller's thread, one after the other.
     */
    private static final java.util.concurrent.ExecutorService PAGE_READS = dev.towerless.core.concurrency.SideReads.pool("job-page-reader", 16);

    private final DynamoTable table;
    /**
     * The (kind, launch type) counters {@link #byFinished} last found: which {@code by_finished_keys}
     * partitions its page 1 reads before the counters arrive. Only what to read; never a count.
     */
    private final java.util.Set<String> finishedCounters = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Each kind's launch-type counters that existed at {@link #byFinished}'s last read, when they
     * added up to the kind's count: the next read asks for those alone (and the rest only should
     * they no longer add up). A kind is absent until read, or while its counters never add up.
     * Only what to read; the count is always the counters'.
     */
    private final Map<JobKind, List<String>> launchCounters = new java.util.concurrent.ConcurrentHashMap<>();
    private static final List<JobStatus> FINISHED = java.util.Arrays.stream(JobStatus.values()).filter(JobStatus::isFinished).toList();
    /**
     * The kinds whose counters said, when {@link #byFinished} or {@link #activeShown} last read
     * them, that none of their jobs is unfinished: the next such read does not read the active
     * index beside the counters (its 17 queries were most of a quiet page's calls), and reads it
     * after them should they say otherwise now. Only what to read; never what to show.
     */
    private final java.util.Set<JobKind> quietKinds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Each kind's {@link JobPositions} blocks as a deep page last read them, kept only when they added
     * up to the kind's counter: the next deep page queries from the start they give while it reads
     * the positions afresh (one round trip less for a polled deep page), and takes those keys only if
     * the fresh positions give the same start. Only where to read; never what to show.
     */
    private final Map<JobKind, java.util.NavigableMap<Long, Long>> knownPositions = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The {@code job_filters} keys {@link #withField} last found empty (of seven kinds'
     * {@code launch_type=manual} keys a store may hold two).
     */
    private final EmptyPartitions emptyFilterKeys = new EmptyPartitions();
    /** The (kind, finished status) partitions of {@code by_status_keys} that {@link #list(java.util.Set, java.util.Set, PageRequest)} last found empty. */
    private final EmptyPartitions emptyStatusKeys = new EmptyPartitions();
    /**
     * The type and launch type of each job this store read or wrote lately (neither ever changes,
     * so an entry is never stale): a status change of a job the caller just read (the task
     * manager's pass over {@link #active()}, the runner, the reaper) needs no read of them.
     * Bounded, least recently used out.
     */
    private final Map<Long, Origin> origins = java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Origin> eldest) {
            return size() > 50_000;
        }
    });

    /** What a job's index keys are made of besides its status: its type and how it was launched (null: not recorded). */
    private record Origin(String type, String launchType) {
        static Origin of(UnifiedJob j) {
            Object launch = j.get(JobFields.LAUNCH_TYPE);
            return new Origin(j.kind().type(), launch == null ? null : launch.toString());
        }

        /** The {@code by_finished_keys} partition of the job once it has finished. */
        String finishedKey() {
            return type + "#" + (launchType == null ? "" : launchType);
        }
    }
    /** The counters ({@link JobCounters}) live beside the id sequences, one item each. */
    private final DynamoTable sequences;
    /** Each job's {@link JobFilters} keys, one item per key. */
    private final DynamoTable filters;
    static final String FILTER_KEY = "filter_key";
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DynamoJobStore.class.getName());
    /**
     * Set in the sequences table once {@link #repairIndexKeys()} has listed every job in
     * {@code job_filters} (a store an older version wrote holds jobs no entry lists); until then
     * {@link #withField} answers empty and the API walks. A new version that lists more fields
     * names a new marker.
     */
    static final String FILTERS_LISTED = "listed#job_filters#1";
    /**
     * As {@link #FILTERS_LISTED}, for {@link #EVERY_JOB}, which a later version added: set by the
     * same repair (and a new install's first insert). Until a store object has seen it, pages over
     * every kind merge the kinds' partitions as before.
     */
    static final String EVERY_JOB_LISTED = "listed#job_filters#all";
    /**
     * The {@code job_filters} key every job is also listed under (no {@link JobFilters} key has no
     * {@code #}): {@code unified_jobs/}'s id order is one Query of it, not a merge of seven kinds'
     * partitions. It is the write-hottest key of that table, as {@code job} is of {@code by_type_keys},
     * and takes one write per launch and per delete; nothing else moves it, and it has no counter
     * (the kinds' counters count it).
     */
    static final String EVERY_JOB = "all";
    /**
     * Whether a read here has found {@link #EVERY_JOB_LISTED} (it is never removed): pages and walks
     * over every kind then read {@link #EVERY_JOB}.
     */
    private volatile boolean everyJobListed;
    /** Whether this store object has looked for {@link #FILTERS_LISTED} at an insert yet. */
    private volatile boolean filtersChecked;

    /** Job ids per block of {@link JobPositions}: a storage format, the same for every reader and writer of a store. */
    private final int positionBlock;

    public DynamoJobStore(DynamoDbClient client, String prefix) {
        this(client, prefix, JobPositions.BLOCK);
    }

    /**
     * A store whose {@link JobPositions} blocks hold {@code positionBlock} ids, so that a test reaches
     * deep pages with a short history. Every store object over the same tables must use the same one.
     */
    public DynamoJobStore(DynamoDbClient client, String prefix, int positionBlock) {
        if (positionBlock < 1) {
            throw new IllegalArgumentException("positionBlock must be at least 1");
        }
        this.table = new DynamoTable(client, Tables.JOBS, prefix);
        this.sequences = new DynamoTable(client, Tables.SEQUENCES, prefix);
        this.filters = new DynamoTable(client, Tables.JOB_FILTERS, prefix);
        this.positionBlock = positionBlock;
    }

    @Override
    public void insert(UnifiedJob job) {
        Map<String, AttributeValue> item = itemOf(table, job);
        try {
            table.client.putItem(r -> r.tableName(table.name).item(item)
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("job " + job.id() + " exists already");
        }
        seen(job);
        // Only after the conditional put: a redelivered insert conflicts above and lists and counts nothing.
        // Each step on its own, so that one failing (a throttled hot key) does not leave the others unwritten.
        bookkeeping(job.id(), "stored", () -> {
            Map<String, Long> adds = new LinkedHashMap<>();
            JobCounters.of(job).forEach(c -> adds.put(c, 1L));
            addToCounters(adds);
        });
        bookkeeping(job.id(), "stored", () -> movePosition(job, 1));
        job.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t -> bookkeeping(job.id(), "stored", () -> raiseNewest(t, job.id(), null)));
        bookkeeping(job.id(), "stored", () -> {
            writeFilterEntries(List.of(job), true);
            if (!filtersChecked) {
                markListedIfFirst(job.id());
            }
        });
    }

    /**
     * The writes that follow a job's own (its {@code job_filters} entries, its counters), made
     * once the job is stored or deleted. Should they fail after the SDK's retries, the job's write
     * still happened: answering an error would make a client launch it again, or be told 404 when
     * it deletes again. The failure is logged, and the repairs of the {@code cleanup_jobs} system
     * job ({@link #repairIndexKeys}, {@link #repairCounts}) write what is missing; until then the
     * job is a gap in its {@code ?inventory=} pages and in {@code unified_jobs/} (its {@link #EVERY_JOB}
     * entry), a count is off by one, and a job whose (kind, launch type) counter was never made is
     * missing from the finished order's pages. Its own kind's list ({@code by_type_keys}, on the job's
     * item) always shows it.
     */
    private static void bookkeeping(long id, String done, Runnable writes) {
        try {
            writes.run();
        } catch (software.amazon.awssdk.core.exception.SdkException | BatchWrites.NotWritten e) {
            LOG.warning(() -> "job " + id + " was " + done + ", but its filter entries or counters were not written ("
                    + e.getMessage() + "); the nightly cleanup_jobs repair writes them");
        }
    }

    /**
     * Once per store object, at its first insert: if the jobs table holds no job but this one, no
     * older version's job can be unlisted, so {@link #FILTERS_LISTED} is set now rather than at the
     * nightly repair (a new install's {@code ?inventory=N} pages are read from the entries at once).
     * Two first inserts at the same moment may each see the other's job and leave it to the repair.
     */
    private void markListedIfFirst(long id) {
        filtersChecked = true;
        Map<String, Long> markers = counters(List.of(FILTERS_LISTED, EVERY_JOB_LISTED));
        if (markers.containsKey(FILTERS_LISTED) && markers.containsKey(EVERY_JOB_LISTED)) {
            everyJobListed = true;
            return;
        }
        var scanned = table.client.scan(r -> r.tableName(table.name).limit(2).consistentRead(true)
                .projectionExpression("#i").expressionAttributeNames(Map.of("#i", "id")));
        boolean others = scanned.items().stream().anyMatch(item -> Long.parseLong(item.get("id").n()) != id)
                || scanned.hasLastEvaluatedKey() && !scanned.lastEvaluatedKey().isEmpty();
        if (!others) {
            markListed();
        }
    }

    /** Sets {@link #FILTERS_LISTED} and {@link #EVERY_JOB_LISTED}: from now on every job is in {@code job_filters}. */
    private void markListed() {
        for (String marker : List.of(FILTERS_LISTED, EVERY_JOB_LISTED)) {
            sequences.client.putItem(r -> r.tableName(sequences.name).item(Map.of("name", AttributeValues.s(marker),
                    "value", AttributeValues.n(1))));
        }
        everyJobListed = true;
    }

    /** The item {@link #insert} stores: the job's fields and the index keys its status gives it. */
    static Map<String, AttributeValue> itemOf(DynamoTable table, UnifiedJob job) {
        Map<String, Object> fields = new LinkedHashMap<>(job.fields());
        if (job.status().isActive()) {
            fields.put(ACTIVE_SHARD, activeShard(job.id()));
        }
        fields.put(STATUS_KEY, statusKey(job.kind(), job.status()));
        if (job.status().isFinished() && job.get(JobFields.FINISHED) != null) {
            fields.put(FINISHED_KEY, Origin.of(job).finishedKey());
            fields.put(FINISHED_AT, finishedAt(job.get(JobFields.FINISHED).toString(), job.id()));
        }
        return table.item(fields);
    }

    @Override
    public Optional<UnifiedJob> find(long id) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name)
                .key(Map.of("id", AttributeValues.n(id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(seen(toJob(item)));
    }

    @Override
    public Map<Long, UnifiedJob> findMany(java.util.Collection<Long> ids) {
        Map<Long, UnifiedJob> out = new java.util.HashMap<>();
        List<Long> distinct = ids.stream().distinct().toList();
        for (int i = 0; i < distinct.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = distinct.subList(i, Math.min(distinct.size(), i + 100)).stream()
                    .map(id -> Map.of("id", AttributeValues.n(id))).toList();
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(table.name,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            BatchReads.readAll(table.client, request, (t, item) -> {
                UnifiedJob j = seen(toJob(item));
                out.put(j.id(), j);
            });
        }
        return out;
    }

    @Override
    public Optional<UnifiedJob> updateIfStatus(long id, JobStatus expected, Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        Optional<String> keys = statusKeys(id, u, changes);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        Optional<UnifiedJob> before = listedBefore(id, changes);
        String condition = u.name(JobFields.STATUS) + " = " + u.value(expected.apiName()) + keys.get() + unmoved(u, before, changes);
        return relisted(before, counted(expected, conditionalUpdate(id, u, condition)));
    }

    /**
     * The job as stored, read only when {@code changes} set a field it is listed by in
     * {@code job_filters}: AWX sets a finished job's inventory or project to null when that
     * inventory or project is deleted (Deletions), which must take the job off that list and its count.
     */
    private Optional<UnifiedJob> listedBefore(long id, Map<String, Object> changes) {
        return changes.keySet().stream().anyMatch(JobFilters.FIELDS::contains) ? find(id) : Optional.empty();
    }

    /** The extra condition that the listed fields {@code changes} set still hold what {@code before} read ("" if none). */
    private static String unmoved(UpdateBuilder u, Optional<UnifiedJob> before, Map<String, Object> changes) {
        StringBuilder out = new StringBuilder();
        before.ifPresent(b -> changes.keySet().stream().filter(JobFilters.FIELDS::contains).sorted().forEach(f -> {
            Object was = b.get(f);
            // a null is stored as DynamoDB's NULL (only index keys are left out), so "none" is either
            // (each placeholder made only where it is used: DynamoDB refuses an unused one)
            out.append(" AND ").append(was == null
                    ? "(attribute_not_exists(" + u.name(f) + ") OR attribute_type(" + u.name(f) + ", " + u.value("NULL") + "))"
                    : u.name(f) + " = " + u.value(was));
        }));
        return out.toString();
    }

    /** After a write that moved listed fields: the old entries and counters out, the new ones in. */
    private Optional<UnifiedJob> relisted(Optional<UnifiedJob> before, Optional<UnifiedJob> written) {
        if (before.isEmpty() || written.isEmpty()) {
            return written;
        }
        List<String> was = JobFilters.keysOf(before.get());
        List<String> is = JobFilters.keysOf(written.get());
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes = new ArrayList<>();
        Map<String, Long> moves = new LinkedHashMap<>();
        long id = written.get().id();
        was.stream().filter(k -> !is.contains(k)).forEach(k -> {
            writes.add(filterWrite(k, id, false));
            moves.put(JobCounters.ofFilterKey(k), -1L);
        });
        is.stream().filter(k -> !was.contains(k)).forEach(k -> {
            writes.add(filterWrite(k, id, true));
            moves.put(JobCounters.ofFilterKey(k), 1L);
        });
        bookkeeping(id, "updated", () -> {
            BatchWrites.writeAll(filters, writes, "job filter entries");
            addToCounters(moves);
        });
        return written;
    }

    @Override
    public Optional<UnifiedJob> updateIfStatusAndUnchanged(long id, JobStatus expected, String field, Object seen,
                                                           Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        Optional<String> keys = statusKeys(id, u, changes);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String unchanged = seen == null ? "attribute_not_exists(" + u.name(field) + ")" : u.name(field) + " = " + u.value(seen);
        Optional<UnifiedJob> before = listedBefore(id, changes);
        String condition = u.name(JobFields.STATUS) + " = " + u.value(expected.apiName()) + " AND " + unchanged + keys.get()
                + unmoved(u, before, changes);
        return relisted(before, counted(expected, conditionalUpdate(id, u, condition)));
    }

    /**
     * The index keys a status change moves, added to {@code u}: {@code active_shard} set or removed,
     * {@code status_key} set to the new {@code <type>#<status>}, and for a finished status
     * {@code finished_key} ({@code <type>#<launch_type>}). An update expression cannot join
     * strings, so the write needs the job's type and launch type: known if this store read or
     * wrote the job lately ({@link #origins}), else read first (they never change: an eventually
     * consistent read of two attributes, a consistent one only if that missed a job just stored);
     * the write is conditioned on them either way. Returns the extra condition ("" when the
     * changes hold no status: nothing read, no key touched), or empty if the job does not exist.
     */
    private Optional<String> statusKeys(long id, UpdateBuilder u, Map<String, Object> changes) {
        Object newStatus = changes.get(JobFields.STATUS);
        if (newStatus == null) {
            return Optional.of("");
        }
        JobStatus to = JobStatus.fromApiName(newStatus.toString());
        if (to.isActive()) {
            u.set(ACTIVE_SHARD, activeShard(id));
        } else {
            u.remove(ACTIVE_SHARD);
        }
        Optional<Origin> origin = Optional.ofNullable(origins.get(id)).or(() -> originOf(id, false)).or(() -> originOf(id, true));
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        u.set(STATUS_KEY, origin.get().type() + "#" + to.apiName());
        String condition = " AND " + u.name(JobFields.TYPE) + " = " + u.value(origin.get().type());
        if (to.isFinished() && changes.get(JobFields.FINISHED) != null) {
            // (JobTransitions stamps finished in the write that finishes a job; without it the job
            // is left out of the index until repairIndexKeys finds its stored stamp)
            u.set(FINISHED_KEY, origin.get().finishedKey());
            u.set(FINISHED_AT, finishedAt(changes.get(JobFields.FINISHED).toString(), id));
            if (origin.get().launchType() != null) {
                condition += " AND " + u.name(JobFields.LAUNCH_TYPE) + " = " + u.value(origin.get().launchType());
            }
        }
        return Optional.of(condition);
    }

    private UnifiedJob seen(UnifiedJob j) {
        origins.put(j.id(), Origin.of(j));
        return j;
    }

    private Optional<Origin> originOf(long id, boolean consistent) {
        Map<String, AttributeValue> item = table.client.getItem(r -> r.tableName(table.name)
                .key(Map.of("id", AttributeValues.n(id))).consistentRead(consistent)
                .projectionExpression("#t, #l").expressionAttributeNames(Map.of("#t", JobFields.TYPE, "#l", JobFields.LAUNCH_TYPE))).item();
        if (item == null || !item.containsKey(JobFields.TYPE)) {
            return Optional.empty();
        }
        AttributeValue launch = item.get(JobFields.LAUNCH_TYPE);
        return Optional.of(new Origin(item.get(JobFields.TYPE).s(), launch == null || launch.s() == null ? null : launch.s()));
    }

    /** The {@code by_status_keys} partition of a kind's jobs in one status. */
    static String statusKey(JobKind kind, JobStatus status) {
        return kind.type() + "#" + status.apiName();
    }

    /** Moves the finished-status counters after a status change was written (only the winner's write gets here). */
    private Optional<UnifiedJob> counted(JobStatus from, Optional<UnifiedJob> written) {
        written.ifPresent(j -> bookkeeping(j.id(), "updated", () -> addToCounters(JobCounters.moves(j.kind(), from, j.status()))));
        return written;
    }

    @Override
    public Optional<UnifiedJob> updateIfActive(long id, Map<String, Object> changes) {
        UpdateBuilder u = table.update(changes);
        Optional<UnifiedJob> before = listedBefore(id, changes);
        String condition = "attribute_exists(" + u.name(ACTIVE_SHARD) + ")" + unmoved(u, before, changes);
        return relisted(before, conditionalUpdate(id, u, condition));
    }

    @Override
    public Optional<UnifiedJob> setIfAbsent(long id, String field, Object value) {
        UpdateBuilder u = table.update(Map.of(field, value));
        Optional<UnifiedJob> set = conditionalUpdate(id, u, "attribute_not_exists(" + u.name(field) + ")");
        return set.isPresent() ? set : find(id);
    }

    private Optional<UnifiedJob> conditionalUpdate(long id, UpdateBuilder u, String condition) {
        try {
            UpdateItemResponse resp = table.client.updateItem(r -> r.tableName(table.name)
                    .key(Map.of("id", AttributeValues.n(id)))
                    .updateExpression(u.expression())
                    .conditionExpression("attribute_exists(id) AND " + condition)
                    .expressionAttributeNames(u.names)
                    .expressionAttributeValues(u.values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(seen(toJob(resp.attributes())));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean deleteIfFinished(long id) {
        Map<String, AttributeValue> old;
        try {
            old = table.client.deleteItem(r -> r.tableName(table.name).key(Map.of("id", AttributeValues.n(id)))
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(" + "#a)")
                    .expressionAttributeNames(Map.of("#a", ACTIVE_SHARD))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        UnifiedJob gone = toJob(old);
        // as at insert, each step on its own
        bookkeeping(id, "deleted", () -> {
            Map<String, Long> subtract = new LinkedHashMap<>();
            JobCounters.of(gone).forEach(c -> subtract.put(c, -1L));
            addToCounters(subtract);
        });
        bookkeeping(id, "deleted", () -> movePosition(gone, -1));
        bookkeeping(id, "deleted", () -> writeFilterEntries(List.of(gone), false));
        return true;
    }

    /** Puts (or deletes) the {@code job_filters} entries of these jobs, 25 to a batch write. */
    private void writeFilterEntries(List<UnifiedJob> jobs, boolean put) {
        BatchWrites.writeAll(filters, filterWrites(jobs, put), "job filter entries");
    }

    private static List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> filterWrites(List<UnifiedJob> jobs, boolean put) {
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes = new ArrayList<>();
        jobs.forEach(j -> entryKeys(j).forEach(k -> writes.add(filterWrite(k, j.id(), put))));
        return writes;
    }

    /** The {@code job_filters} keys of a job: its {@link JobFilters} keys and {@link #EVERY_JOB}. */
    static List<String> entryKeys(UnifiedJob job) {
        List<String> keys = new ArrayList<>(JobFilters.keysOf(job));
        keys.add(EVERY_JOB);
        return keys;
    }

    private static software.amazon.awssdk.services.dynamodb.model.WriteRequest filterWrite(String key, long id, boolean put) {
        Map<String, AttributeValue> item = Map.of(FILTER_KEY, AttributeValues.s(key), "id", AttributeValues.n(id));
        return put ? software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                .putRequest(r -> r.item(item)).build()
                : software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().deleteRequest(r -> r.key(item)).build();
    }

    /** The {@code job_filters} entries of these jobs, as {@link #insert} writes them (JobHistoryLoader). */
    static List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> filterEntries(List<UnifiedJob> jobs) {
        return filterWrites(jobs, true);
    }

    /** One ADD per counter (different items: DynamoDB has no multi-item update but a transaction, which dynalite lacks). */
    private void addToCounters(Map<String, Long> deltas) {
        deltas.forEach((name, delta) -> {
            if (delta != 0) {
                sequences.client.updateItem(r -> r.tableName(sequences.name)
                        .key(Map.of("name", AttributeValues.s(name)))
                        .updateExpression("ADD #v :d")
                        .expressionAttributeNames(Map.of("#v", "value"))
                        .expressionAttributeValues(Map.of(":d", AttributeValues.n(delta))));
            }
        });
    }

    /** Moves the job's block of its kind's {@link JobPositions} item, one ADD, as its counter moves. */
    private void movePosition(UnifiedJob job, long delta) {
        sequences.client.updateItem(r -> r.tableName(sequences.name)
                .key(Map.of("name", AttributeValues.s(JobPositions.name(job.kind()))))
                .updateExpression("ADD #b :d")
                .expressionAttributeNames(Map.of("#b", JobPositions.attribute(job.id(), positionBlock)))
                .expressionAttributeValues(Map.of(":d", AttributeValues.n(delta))));
    }

    /** The values of these counters (an absent one is 0), one consistent batch read. */
    private Map<String, Long> counters(java.util.Collection<String> names) {
        return valuesOf(sequenceItems(names));
    }

    private static Map<String, Long> valuesOf(Map<String, Map<String, AttributeValue>> items) {
        Map<String, Long> out = new java.util.HashMap<>();
        items.forEach((name, item) -> out.put(name, item.containsKey("value") ? Long.parseLong(item.get("value").n()) : 0L));
        return out;
    }

    /** These items of the sequences table by name (an absent one is left out), one consistent batch read. */
    private Map<String, Map<String, AttributeValue>> sequenceItems(java.util.Collection<String> names) {
        Map<String, Map<String, AttributeValue>> out = new java.util.HashMap<>();
        List<Map<String, AttributeValue>> keys = names.stream().distinct().map(n -> Map.of("name", AttributeValues.s(n))).toList();
        // a batch read takes at most 100 keys (the templates of a restricted user's page may be more)
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(sequences.name,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                            .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
            BatchReads.readAll(sequences.client, request, (t, item) -> out.put(item.get("name").s(), item));
        }
        return out;
    }

    /** The sum of these counters, never below 0 (a counter a dead writer left short may read -1 until repaired). */
    private long count(java.util.Collection<String> names) {
        return Math.max(0, counters(names).values().stream().mapToLong(Long::longValue).sum());
    }

    private static <T> T result(java.util.concurrent.Future<T> read) {
        return dev.towerless.core.concurrency.SideReads.result(read);
    }

    /** The {@code active} index key of an active job. */
    static String activeShard(long id) {
        return "active#" + Math.floorMod(id, ACTIVE_SHARDS);
    }

    @Override
    public List<UnifiedJob> active() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < ACTIVE_SHARDS; i++) {
            keys.add("active#" + i);
        }
        keys.add(LEGACY_ACTIVE);
        List<java.util.concurrent.Future<List<UnifiedJob>>> reads = new ArrayList<>();
        for (String key : keys) {
            reads.add(SHARD_READERS.submit(() -> {
                List<UnifiedJob> part = new ArrayList<>();
                queryAll(QueryRequest.builder().tableName(table.name).indexName("active")
                        .keyConditionExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", ACTIVE_SHARD))
                        .expressionAttributeValues(Map.of(":s", AttributeValues.s(key)))
                        .build(), part);
                return part;
            }));
        }
        List<UnifiedJob> out = new ArrayList<>();
        for (java.util.concurrent.Future<List<UnifiedJob>> r : reads) {
            out.addAll(result(r));
        }
        // Same created stamp: the lower id was created first.
        out.sort(Comparator.comparing((UnifiedJob j) -> (String) j.get(JobFields.CREATED)).thenComparingLong(UnifiedJob::id));
        return out;
    }

    @Override
    public List<UnifiedJob> activeShown() {
        // Monitoring polls ping/ (17 index queries each): when the last look found every kind quiet,
        // the kinds' counters (one batch read) say whether that still holds before the index is read.
        java.util.Set<JobKind> every = java.util.EnumSet.allOf(JobKind.class);
        if (quietKinds.containsAll(every)) {
            return anyUnfinished(every, counters(unfinishedCounters(every))) ? active() : List.of();
        }
        // the counters beside the index (the same round trip), so the next look knows whether to skip it
        java.util.concurrent.Future<Map<String, Long>> counted = PAGE_READS.submit(() -> counters(unfinishedCounters(every)));
        List<UnifiedJob> active = active();
        anyUnfinished(every, result(counted));
        return active;
    }

    /** Every launch-type counter of a kind. */
    private static List<String> allLaunchCounters(JobKind kind) {
        return java.util.Arrays.stream(dev.towerless.core.jobs.LaunchType.values())
                .map(l -> JobCounters.ofLaunchType(kind, l.apiName())).toList();
    }

    /** The sum of those of these counters that exist. */
    private static long launchSum(List<String> names, Map<String, Long> counters) {
        return names.stream().filter(counters::containsKey).mapToLong(counters::get).sum();
    }

    /** Each kind's {@code count#<type>} and its finished statuses' counters: the kind's unfinished jobs are the difference. */
    private static List<String> unfinishedCounters(java.util.Set<JobKind> kinds) {
        List<String> names = new ArrayList<>();
        for (JobKind k : kinds) {
            names.add(JobCounters.ofKind(k));
            FINISHED.forEach(st -> names.add(JobCounters.ofStatus(k, st)));
        }
        return names;
    }

    /** Whether the counters say any of these kinds has an unfinished job; records each kind's answer in {@link #quietKinds}. */
    private boolean anyUnfinished(java.util.Set<JobKind> kinds, Map<String, Long> counters) {
        boolean any = false;
        for (JobKind k : kinds) {
            long unfinished = counters.getOrDefault(JobCounters.ofKind(k), 0L)
                    - FINISHED.stream().mapToLong(st -> counters.getOrDefault(JobCounters.ofStatus(k, st), 0L)).sum();
            if (unfinished > 0) {
                quietKinds.remove(k);
                any = true;
            } else {
                quietKinds.add(k);
            }
        }
        return any;
    }

    @Override
    public Page<UnifiedJob> list(JobKind kind, PageRequest page) {
        return list(java.util.Set.of(kind), page);
    }

    @Override
    public Page<UnifiedJob> list(java.util.Set<JobKind> kinds, PageRequest page) {
        // The page's keys from the merged kinds' keys-only indexes, the page's items in one batch
        // read, the count from the kinds' counters; a deep page's start from the kinds' positions,
        // whose items grow with the history kept (a dozen bytes a block of 1,000 ids), not its keys.
        // The count is read while the keys are: one round trip less on every page.
        List<String> names = new ArrayList<>(kinds.stream().map(JobCounters::ofKind).toList());
        // Every kind (unified_jobs/): one partition of job_filters once this store object has seen that
        // every job is listed there; until then the kinds' partitions, merged, and the marker looked
        // for with the counters. Either way the page costs no more round trips than jobs/.
        boolean fromEveryJob = everyKind(kinds) && everyJobListed;
        if (everyKind(kinds) && !everyJobListed) {
            names.add(EVERY_JOB_LISTED);
        }
        Map<String, Long> counters;
        List<Long> ids;
        if (page.offset() >= positionBlock) {
            // A deep page: the kinds' positions with their counters, then the index from the edge of the
            // block the page starts in, skipping less than a block rather than every page before it. The
            // start the positions gave last time is read meanwhile, and taken if they give it still.
            List<String> positions = kinds.stream().map(JobPositions::name).toList();
            List<String> asked = new ArrayList<>(names);
            asked.addAll(positions);
            Optional<JobPositions.Start> guess = guessedStart(kinds, page);
            java.util.function.Function<Optional<JobPositions.Start>, List<Long>> keysFrom = start -> {
                Long edge = start.map(JobPositions.Start::edge).orElse(null);
                boolean descending = start.map(st -> st.descending(page.descending())).orElse(page.descending());
                List<Long> keys = (fromEveryJob ? KeyMerge.of(filters.client, List.of(filterKeys(EVERY_JOB, descending, edge)), descending)
                        : typeKeys(kinds, descending, edge))
                        .skipAndTake(start.map(st -> (int) st.skip()).orElse(page.offset()), page.pageSize());
                if (start.isPresent() && start.get().reversed()) {
                    keys = new ArrayList<>(keys);
                    java.util.Collections.reverse(keys);
                }
                return keys;
            };
            java.util.concurrent.Future<List<Long>> early = guess.isEmpty() ? null : SHARD_READERS.submit(() -> keysFrom.apply(guess));
            Map<String, Map<String, AttributeValue>> read = sequenceItems(asked);
            counters = new java.util.HashMap<>(valuesOf(read));
            Optional<JobPositions.Start> start = trustedBlocks(kinds, read, counters).map(summed ->
                    JobPositions.start(summed, page.offset(), page.pageSize(), page.descending(), positionBlock));
            positions.forEach(counters::remove);
            if (early != null && start.equals(guess)) {
                ids = result(early);
            } else {
                if (early != null) {
                    early.cancel(true);
                }
                ids = keysFrom.apply(start);
            }
        } else {
            java.util.concurrent.Future<Map<String, Long>> counted = SHARD_READERS.submit(() -> counters(names));
            ids = (fromEveryJob ? KeyMerge.of(filters.client, List.of(filterKeys(EVERY_JOB, page.descending())), page.descending())
                    : typeKeys(kinds, page.descending())).skipAndTake(page.offset(), page.pageSize());
            counters = new java.util.HashMap<>(result(counted));
        }
        if (counters.remove(EVERY_JOB_LISTED) != null) {
            everyJobListed = true;
        }
        return new Page<>(inOrder(ids, page), Math.max(0, counters.values().stream().mapToLong(Long::longValue).sum()));
    }

    /**
     * The kinds' blocks summed, if each kind's add up to its counter (kind by kind: over several, one
     * kind's block short and another's over would cancel out); each kind's are remembered for the
     * next deep page ({@link #knownPositions}), or forgotten.
     */
    private Optional<java.util.NavigableMap<Long, Long>> trustedBlocks(java.util.Set<JobKind> kinds,
                                                                       Map<String, Map<String, AttributeValue>> read, Map<String, Long> values) {
        List<java.util.NavigableMap<Long, Long>> trusted = new ArrayList<>();
        for (JobKind k : kinds) {
            java.util.NavigableMap<Long, Long> blocks = java.util.Collections.unmodifiableNavigableMap(JobPositions.blocks(
                    read.containsKey(JobPositions.name(k)) ? List.of(read.get(JobPositions.name(k))) : List.of()));
            if (JobPositions.addsUp(blocks, values.getOrDefault(JobCounters.ofKind(k), 0L))) {
                knownPositions.put(k, blocks);
                trusted.add(blocks);
            } else {
                knownPositions.remove(k);
            }
        }
        return trusted.size() == kinds.size() ? Optional.of(JobPositions.merged(trusted)) : Optional.empty();
    }

    /** The start {@link #knownPositions} give a deep page, if every kind's are known. */
    private Optional<JobPositions.Start> guessedStart(java.util.Set<JobKind> kinds, PageRequest page) {
        List<java.util.NavigableMap<Long, Long>> known = new ArrayList<>();
        for (JobKind k : kinds) {
            java.util.NavigableMap<Long, Long> blocks = knownPositions.get(k);
            if (blocks == null) {
                return Optional.empty();
            }
            known.add(blocks);
        }
        return Optional.of(JobPositions.start(JobPositions.merged(known), page.offset(), page.pageSize(), page.descending(), positionBlock));
    }

    private static boolean everyKind(java.util.Set<JobKind> kinds) {
        return kinds.size() == JobKind.values().length;
    }

    /** The kinds' by_type_keys partitions merged in id order. */
    private KeyMerge typeKeys(java.util.Set<JobKind> kinds, boolean descending) {
        return typeKeys(kinds, descending, null);
    }

    /** As {@link #typeKeys(java.util.Set, boolean)}, from an id edge ({@link JobPositions.Start}) if there is one. */
    private KeyMerge typeKeys(java.util.Set<JobKind> kinds, boolean descending, Long edge) {
        return KeyMerge.of(table.client, kinds.stream().map(k -> fromEdge(typeKeys(k, descending), JobFields.TYPE,
                AttributeValues.s(k.type()), descending, edge)).toList(), descending);
    }

    /**
     * A query of one partition (its key condition {@code #partition = :p}, as this class writes them),
     * narrowed to the ids beyond an edge in its order: below it descending, from it on ascending.
     */
    private static QueryRequest.Builder fromEdge(QueryRequest.Builder query, String partitionAttribute, AttributeValue partition,
                                                 boolean descending, Long edge) {
        if (edge == null) {
            return query;
        }
        return query.keyConditionExpression("#p = :p AND #i " + (descending ? "<" : ">=") + " :edge")
                .expressionAttributeNames(Map.of("#p", partitionAttribute, "#i", "id"))
                .expressionAttributeValues(Map.of(":p", partition, ":edge", AttributeValues.n(edge)));
    }

    @Override
    public Page<UnifiedJob> list(java.util.Set<JobKind> kinds, java.util.Set<JobStatus> statuses, PageRequest page) {
        // As list(kinds, page), over the (kind, status) partitions of by_status_keys: the page's
        // keys, one batch read of its items, the count from counters (and the active jobs).
        // each partition by its counter (none for an active status: those are always read)
        Map<String, String> counterOf = new LinkedHashMap<>();
        Map<String, JobKind> kindOf = new LinkedHashMap<>();
        Map<String, JobStatus> statusOf = new LinkedHashMap<>();
        for (JobKind k : kinds) {
            for (JobStatus st : statuses) {
                String partition = statusKey(k, st);
                kindOf.put(partition, k);
                statusOf.put(partition, st);
                counterOf.put(partition, st.isFinished() ? JobCounters.ofStatus(k, st) : null);
            }
        }
        if (kindOf.isEmpty()) {
            return new Page<>(List.of(), 0);
        }
        List<String> counters = counterOf.values().stream().filter(java.util.Objects::nonNull).toList();
        // The count is read while the keys are: one round trip less on every page. The partitions whose
        // counters were absent last time (no job ever had that status: of seven kinds' failed, most) are
        // not queried, unless the counters now name one.
        java.util.concurrent.Future<Map<String, Long>> finished = SHARD_READERS.submit(() -> counters.isEmpty() ? Map.of() : counters(counters));
        List<String> partitions = List.copyOf(kindOf.keySet());
        List<String> guessed = emptyStatusKeys.likelyFilled(partitions);
        java.util.function.Function<List<String>, List<Long>> pageOf = read -> KeyMerge.of(table.client, read.stream()
                        .map(p -> statusKeys(kindOf.get(p), statusOf.get(p), page.descending())).toList(), page.descending())
                .skipAndTake(page.offset(), page.pageSize());
        List<Long> ids = pageOf.apply(guessed);
        Map<String, Long> counted = result(finished);
        // a partition of an active status has no counter: it is always read, never learnt empty
        List<String> filled = emptyStatusKeys.learn(partitions, p -> counterOf.get(p) == null || counted.containsKey(counterOf.get(p)));
        if (!guessed.containsAll(filled)) {
            ids = pageOf.apply(filled); // a status no job had has one now
        }
        long count = Math.max(0, counted.values().stream().mapToLong(Long::longValue).sum());
        if (statuses.stream().anyMatch(JobStatus::isActive)) {
            count += active().stream().filter(j -> kinds.contains(j.kind()) && statuses.contains(j.status())).count();
        }
        // The index is eventually consistent (and a writer of the version before it does not move the
        // key): a job read as it is now shows on a page of its status only, never of one it has left.
        List<UnifiedJob> rows = inOrder(ids, page).stream().filter(j -> statuses.contains(j.status())).toList();
        return new Page<>(rows, count);
    }

    @Override
    public Page<UnifiedJob> byFinished(java.util.Set<JobKind> kinds, java.util.Set<dev.towerless.core.jobs.LaunchType> launchTypes,
                                       PageRequest page) {
        // The (kind, launch type) counters give the count and which by_finished_keys partitions
        // hold jobs at all (of 7 kinds × 9 launch types a store has a dozen); the active jobs,
        // which sort beyond every finished time, are read meanwhile.
        List<String> names = new ArrayList<>();
        Map<String, String> partitionOf = new LinkedHashMap<>();
        for (JobKind k : kinds) {
            for (dev.towerless.core.jobs.LaunchType l : launchTypes) {
                String counter = JobCounters.ofLaunchType(k, l.apiName());
                names.add(counter);
                partitionOf.put(counter, k.type() + "#" + l.apiName());
            }
        }
        if (names.isEmpty()) {
            return new Page<>(List.of(), 0);
        }
        // Each kind's jobs less its finished ones are its unfinished ones: read with the other
        // counters, they say whether the active index need be read at all.
        List<String> unfinishedCounters = unfinishedCounters(kinds);
        // Of a kind's launch-type counters, the ones it held at the last read (of 7 kinds × 9 launch
        // types, 63 keys, a store holds about a dozen: most of this batch was keys of nothing).
        Map<JobKind, List<String>> launchRead = new java.util.EnumMap<>(JobKind.class);
        kinds.forEach(k -> launchRead.put(k, launchCounters.getOrDefault(k, allLaunchCounters(k))));
        java.util.Set<String> read = new java.util.LinkedHashSet<>(unfinishedCounters);
        launchRead.values().forEach(read::addAll);
        java.util.concurrent.Future<Map<String, Long>> counted = SHARD_READERS.submit(() -> counters(read));
        java.util.concurrent.Future<List<UnifiedJob>> activeRead = quietKinds.containsAll(kinds) ? null : PAGE_READS.submit(this::active);
        // Page 1, the one AWX's UI polls: the partitions whose counters existed last time are read now,
        // beside the counters and the active jobs, rather than after the counters name them (one
        // round trip less). Should the counters name other partitions, the page is read from those.
        // A job that finishes between the two reads is on neither side for that one poll, as one can
        // already be while the indexes propagate (both are eventually consistent); the next poll has it.
        List<String> guessed = page.offset() == 0 ? names.stream().filter(finishedCounters::contains).toList() : List.of();
        java.util.concurrent.Future<List<Long>> early = guessed.isEmpty() ? null
                : SHARD_READERS.submit(() -> finishedKeys(guessed, partitionOf, page.descending()).skipAndTake(0, page.pageSize()));
        java.util.Set<String> launched = new java.util.HashSet<>();
        launchTypes.forEach(l -> launched.add(l.apiName()));
        java.util.Comparator<UnifiedJob> byId = java.util.Comparator.comparingLong(UnifiedJob::id);
        Map<String, Long> counters = new java.util.HashMap<>(result(counted));
        // A kind whose launch-type counters read do not add up to its count has jobs of a launch type
        // not read (new to it, or counters a dead writer left short): its others are read now.
        List<String> more = new ArrayList<>();
        for (JobKind k : kinds) {
            if (launchCounters.containsKey(k) && launchSum(launchRead.get(k), counters) != counters.getOrDefault(JobCounters.ofKind(k), 0L)) {
                allLaunchCounters(k).stream().filter(n -> !launchRead.get(k).contains(n)).forEach(more::add);
            }
        }
        if (!more.isEmpty()) {
            counters.putAll(counters(more));
        }
        for (JobKind k : kinds) {
            List<String> present = allLaunchCounters(k).stream().filter(counters::containsKey).toList();
            if (launchSum(present, counters) == counters.getOrDefault(JobCounters.ofKind(k), 0L)) {
                launchCounters.put(k, present);
            } else {
                launchCounters.remove(k); // they do not add up even all read: read them all each time
            }
        }
        boolean anyUnfinished = anyUnfinished(kinds, counters);
        // A kind's counters left short by a failed launch's bookkeeping may say "none unfinished"
        // while one runs: it is off these pages (as off its count) until the nightly repair.
        List<UnifiedJob> active = activeRead != null ? result(activeRead) : anyUnfinished ? active() : List.of();
        List<UnifiedJob> unfinished = active.stream()
                .filter(j -> kinds.contains(j.kind()) && launched.contains(j.get(JobFields.LAUNCH_TYPE)) && j.status().isActive())
                .sorted(page.descending() ? byId.reversed() : byId).toList();
        names.forEach(n -> {
            if (counters.containsKey(n)) {
                finishedCounters.add(n);
            } else {
                finishedCounters.remove(n);
            }
        });
        // the page's (kind, launch type) counters only: the map holds the kinds' others and their totals too
        long count = Math.max(0, names.stream().filter(counters::containsKey).mapToLong(counters::get).sum());
        List<String> present = names.stream().filter(counters::containsKey).toList();
        List<Long> earlyIds = null;
        if (early != null && present.equals(guessed)) {
            earlyIds = result(early);
        } else if (early != null) {
            early.cancel(true);
        }
        KeyMerge finished = finishedKeys(present, partitionOf, page.descending());
        List<UnifiedJob> rows = new ArrayList<>(page.pageSize());
        if (page.descending()) {
            // unfinished first, then the finished ones from where the unfinished leave off
            unfinished.stream().skip(page.offset()).limit(page.pageSize()).forEach(rows::add);
            int skip = Math.max(0, page.offset() - unfinished.size());
            int take = page.pageSize() - rows.size();
            rows.addAll(inOrder(earlyIds != null ? earlyIds.subList(0, Math.min(take, earlyIds.size()))
                    : finished.skipAndTake(skip, take), page));
        } else {
            // finished first; where they run out, the unfinished after the ones the page skipped (by the
            // keys taken: a job deleted between its key and its read leaves a gap, not an unfinished job)
            List<Long> ids = earlyIds != null ? earlyIds : finished.skipAndTake(page.offset(), page.pageSize());
            int finishedSkipped = earlyIds != null ? 0 : finished.skipped();
            rows.addAll(inOrder(ids, page));
            unfinished.stream().skip(page.offset() - finishedSkipped).limit(page.pageSize() - ids.size()).forEach(rows::add);
        }
        // The active index is eventually consistent: a job that has just finished may be on both sides.
        java.util.Set<Long> shown = new java.util.HashSet<>();
        rows.removeIf(j -> !shown.add(j.id()));
        return new Page<>(rows, count);
    }

    /** The merge of these (kind, launch type) partitions of {@code by_finished_keys}, named by their counters. */
    private KeyMerge finishedKeys(List<String> counterNames, Map<String, String> partitionOf, boolean descending) {
        return KeyMerge.of(table.client, counterNames.stream().map(partitionOf::get)
                .map(key -> QueryRequest.builder().tableName(table.name).indexName(BY_FINISHED)
                        .keyConditionExpression("#k = :k")
                        .expressionAttributeNames(Map.of("#k", FINISHED_KEY))
                        .expressionAttributeValues(Map.of(":k", AttributeValues.s(key)))
                        .scanIndexForward(!descending))
                .toList(), FINISHED_AT, descending);
    }

    @Override
    public Optional<Page<UnifiedJob>> withField(java.util.Set<JobKind> kinds, String field, java.util.Set<String> values,
                                                PageRequest page) {
        List<String> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JobKind k : kinds) {
            for (String v : values) {
                keys.add(JobFilters.key(k, field, v));
                names.add(JobCounters.ofField(k, field, v));
            }
        }
        if (keys.isEmpty()) {
            return Optional.of(new Page<>(List.of(), 0));
        }
        // the counters (with the marker that every job is listed) read beside the keys: one round, then the page's jobs
        List<String> counterNames = new ArrayList<>(names);
        names.add(FILTERS_LISTED);
        java.util.concurrent.Future<Map<String, Long>> counted = SHARD_READERS.submit(() -> counters(names));
        List<String> guessed = emptyFilterKeys.likelyFilled(keys);
        List<Long> ids = filterKeys(guessed, page).skipAndTake(page.offset(), page.pageSize());
        Map<String, Long> counters = result(counted);
        if (!counters.containsKey(FILTERS_LISTED)) {
            return Optional.empty();
        }
        counters.remove(FILTERS_LISTED);
        Map<String, String> counterOf = new java.util.HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            counterOf.put(keys.get(i), counterNames.get(i));
        }
        List<String> filled = emptyFilterKeys.learn(keys, k -> counters.containsKey(counterOf.get(k)));
        if (!guessed.containsAll(filled)) {
            ids = filterKeys(filled, page).skipAndTake(page.offset(), page.pageSize()); // a key that was empty holds jobs now
        }
        long count = Math.max(0, counters.values().stream().mapToLong(Long::longValue).sum());
        // a job whose value moved after the page's keys were read (an unlink) is a gap, never a wrong row
        return Optional.of(new Page<>(inOrder(ids, page).stream()
                .filter(j -> JobFilters.valueOf(j, field).filter(values::contains).isPresent()).toList(), count));
    }

    /**
     * Sets {@code status_key} (and on a finished job {@code finished_key} and {@code finished_at})
     * on the jobs an older version stored without them (or with ones that do not match): one scan of eight attributes,
     * each write conditioned on the status the scan saw, so a job that moved meanwhile (and got its
     * keys from that write) is left alone. Lists in {@code job_filters} every job an entry misses,
     * deletes the entries of jobs that are gone, then sets {@link #FILTERS_LISTED}.
     */
    @Override
    public long repairIndexKeys() {
        // The job_filters entries first, then the jobs: an entry read here is of a job stored before
        // it, which the job scan then sees unless it was deleted (so an entry no job scanned claims is
        // an orphan). A job deleted after the job scan may have its entries written again below:
        // a page leaves a missing job out, and the next run deletes them.
        ListedEntries listed = new ListedEntries();
        filters.client.scanPaginator(r -> r.tableName(filters.name).consistentRead(true)).items()
                .forEach(item -> listed.add(item.get(FILTER_KEY).s(), Long.parseLong(item.get("id").n())));
        listed.seal();
        // written as they are found, 25 to a batch: after an upgrade every job misses its entries
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> entries = new ArrayList<>();
        long written = 0;
        java.util.Set<Long> unread = new java.util.HashSet<>(); // items this version cannot read: their entries stay
        long set = 0;
        Map<String, String> attributes = new java.util.HashMap<>(Map.of("#i", "id", "#t", JobFields.TYPE, "#s", JobFields.STATUS,
                "#k", STATUS_KEY, "#l", JobFields.LAUNCH_TYPE, "#f", JobFields.FINISHED, "#fk", FINISHED_KEY, "#fa", FINISHED_AT));
        attributes.put("#inv", JobFields.INVENTORY);
        attributes.put("#prj", JobFields.PROJECT);
        // consistent: an entry whose job this scan misses is deleted as an orphan
        for (Map<String, AttributeValue> item : table.client.scanPaginator(r -> r.tableName(table.name).consistentRead(true)
                        .projectionExpression("#i, #t, #s, #k, #l, #f, #fk, #fa, #inv, #prj")
                        .expressionAttributeNames(attributes))
                .items()) {
            if (!item.containsKey(JobFields.TYPE) || !item.containsKey(JobFields.STATUS)) {
                unread.add(Long.parseLong(item.get("id").n()));
                continue;
            }
            String want = item.get(JobFields.TYPE).s() + "#" + item.get(JobFields.STATUS).s();
            AttributeValue launch = item.get(JobFields.LAUNCH_TYPE);
            boolean finishedStatus;
            try {
                finishedStatus = JobStatus.fromApiName(item.get(JobFields.STATUS).s()).isFinished();
            } catch (IllegalArgumentException notAStatus) {
                unread.add(Long.parseLong(item.get("id").n()));
                continue; // nothing this version writes; its keys are left as they are
            }
            long id = Long.parseLong(item.get("id").n());
            List<String> keys;
            try {
                keys = entryKeys(toJob(item));
            } catch (IllegalArgumentException notAKind) {
                unread.add(Long.parseLong(item.get("id").n()));
                continue;
            }
            for (String key : keys) {
                if (!listed.claim(key, id)) {
                    entries.add(filterWrite(key, id, true));
                }
            }
            if (entries.size() >= BatchWrites.BATCH) {
                BatchWrites.writeAll(filters, entries, "job filter entries");
                written += entries.size();
                entries.clear();
            }
            String wantFinished = finishedStatus && stringOf(item, JobFields.FINISHED) != null
                    ? new Origin(item.get(JobFields.TYPE).s(), launch == null ? null : launch.s()).finishedKey() : null;
            String finished = stringOf(item, JobFields.FINISHED);
            if (want.equals(stringOf(item, STATUS_KEY)) && java.util.Objects.equals(wantFinished, stringOf(item, FINISHED_KEY))
                    && (wantFinished == null || finishedAt(finished, Long.parseLong(item.get("id").n())).equals(stringOf(item, FINISHED_AT)))) {
                continue;
            }
            Map<String, String> names = new java.util.HashMap<>(Map.of("#k", STATUS_KEY, "#s", JobFields.STATUS, "#t", JobFields.TYPE));
            Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":k", AttributeValues.s(want),
                    ":s", item.get(JobFields.STATUS), ":t", item.get(JobFields.TYPE)));
            String expression = "SET #k = :k";
            if (wantFinished != null) {
                names.put("#fk", FINISHED_KEY);
                names.put("#fa", FINISHED_AT);
                values.put(":fk", AttributeValues.s(wantFinished));
                values.put(":fa", AttributeValues.s(finishedAt(finished, Long.parseLong(item.get("id").n()))));
                expression += ", #fk = :fk, #fa = :fa";
            }
            try {
                String update = expression;
                table.client.updateItem(r -> r.tableName(table.name).key(Map.of("id", item.get("id")))
                        .updateExpression(update)
                        .conditionExpression("#s = :s AND #t = :t")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                set++;
            } catch (ConditionalCheckFailedException movedMeanwhile) {
                // its status changed since the scan (or it was deleted): that write set the keys
            }
        }
        listed.unclaimed((key, id) -> {
            if (!unread.contains(id)) {
                entries.add(filterWrite(key, id, false));
            }
        });
        BatchWrites.writeAll(filters, entries, "job filter entries");
        written += entries.size();
        markListed();
        return set + written;
    }

    /** {@link #FINISHED_AT}'s value: fixed-width stamps and ids, so string order is time, then id. */
    static String finishedAt(String finished, long id) {
        String digits = Long.toString(id);
        return finished + "|" + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    private static String stringOf(Map<String, AttributeValue> item, String attribute) {
        AttributeValue v = item.get(attribute);
        return v == null ? null : v.s();
    }

    @Override
    public List<UnifiedJob> all(JobKind kind) {
        List<Long> ids = new ArrayList<>();
        table.client.queryPaginator(typeKeys(kind, false).build()).items()
                .forEach(item -> ids.add(Long.parseLong(item.get("id").n())));
        return inOrder(ids);
    }

    @Override
    public Walk walk(java.util.Set<JobKind> kinds, boolean descending, int budget,
                     java.util.function.Predicate<UnifiedJob> keep, int enough) {
        // keys in chunks, each chunk's jobs in batch reads, until enough are kept or the budget is read
        KeyMerge keys = everyKind(kinds) && everyJobListed
                ? KeyMerge.of(filters.client, List.of(filterKeys(EVERY_JOB, descending)), descending)
                : typeKeys(kinds, descending);
        List<UnifiedJob> kept = new ArrayList<>();
        int read = 0;
        int chunk = Math.max(100, Math.min(1000, enough));
        while (read < budget && kept.size() < enough) {
            List<Long> ids = keys.skipAndTake(0, Math.min(chunk, budget - read));
            if (ids.isEmpty()) {
                return new Walk(kept, true);
            }
            read += ids.size();
            for (UnifiedJob j : inOrder(ids)) {
                if (keep.test(j)) {
                    kept.add(j);
                }
            }
        }
        return new Walk(kept, keys.skipAndTake(0, 1).isEmpty());
    }

    @Override
    public long count(JobKind kind, JobStatus status) {
        if (status.isFinished()) {
            return count(List.of(JobCounters.ofStatus(kind, status)));
        }
        return active().stream().filter(j -> j.kind() == kind && j.status() == status).count();
    }

    @Override
    public List<UnifiedJob> ofTemplate(long templateId, int limit) {
        QueryResponse resp = table.client.query(templateKeys(templateId, true).limit(limit).build());
        return inOrder(resp.items().stream().map(item -> Long.parseLong(item.get("id").n())).toList());
    }

    @Override
    public Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds) {
        return newestOfTemplates(templateIds, Map.of());
    }

    /**
     * Each template's newest job from its pointer ({@link #newestName}): the pointers in one batch
     * read, then the jobs they name that the request has not read ahead in another. A template
     * without a pointer (none written yet: its jobs predate this store's version) or whose pointer
     * names a job deleted since is read from its index instead, and its pointer set from what
     * that read found, so the next page reads it. A page of 20 templates was 20 index queries
     * and a batch; now it is two batches, or one when its jobs come with the token.
     */
    @Override
    public Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds, Map<Long, UnifiedJob> readAhead) {
        return newestOfTemplates(templateIds, readAhead, Map.of());
    }

    @Override
    public Map<Long, UnifiedJob> newestOfTemplates(java.util.Collection<Long> templateIds, Map<Long, UnifiedJob> readAhead,
                                                   Map<Long, Long> newestRead) {
        List<Long> wanted = templateIds.stream().distinct().toList();
        if (wanted.isEmpty()) {
            return Map.of();
        }
        // the pointers read beside the token (a polled page's) taken as read; the others read now
        List<String> unread = wanted.stream().filter(t -> !newestRead.containsKey(t)).map(DynamoJobStore::newestName).toList();
        Map<String, Long> pointers = new java.util.HashMap<>(unread.isEmpty() ? Map.of() : counters(unread));
        wanted.stream().filter(newestRead::containsKey).forEach(t -> pointers.put(newestName(t), newestRead.get(t)));
        List<Long> toRead = pointers.values().stream().filter(id -> id != NO_JOB && !readAhead.containsKey(id)).toList();
        Map<Long, UnifiedJob> read = toRead.isEmpty() ? Map.of() : findMany(toRead);
        Map<Long, UnifiedJob> out = new java.util.HashMap<>();
        List<Long> unknown = new ArrayList<>();
        for (long t : wanted) {
            Long id = pointers.get(newestName(t));
            UnifiedJob j = id == null ? null : readAhead.containsKey(id) ? readAhead.get(id) : read.get(id);
            if (j != null) {
                out.put(t, j);
            } else if (id == null || id != NO_JOB) {
                unknown.add(t); // no pointer yet, or one that names a deleted job
            }
        }
        if (!unknown.isEmpty()) {
            Map<Long, UnifiedJob> queried = newestFromIndex(unknown);
            out.putAll(queried);
            // the refills issued together, as the queries were: a page after an upgrade writes each once
            List<java.util.concurrent.Future<?>> refills = unknown.stream().<java.util.concurrent.Future<?>>map(t -> SHARD_READERS.submit(() ->
                    raiseNewest(t, queried.containsKey(t) ? queried.get(t).id() : NO_JOB, pointers.get(newestName(t))))).toList();
            refills.forEach(DynamoJobStore::result);
        }
        return out;
    }

    /** Each template's newest key from its index, the queries issued together; then every job in one batch read. */
    private Map<Long, UnifiedJob> newestFromIndex(List<Long> templateIds) {
        Map<Long, java.util.concurrent.Future<QueryResponse>> newest = new LinkedHashMap<>();
        templateIds.forEach(t ->
                newest.put(t, SHARD_READERS.submit(() -> table.client.query(templateKeys(t, true).limit(1).build()))));
        Map<Long, Long> jobOf = new LinkedHashMap<>();
        newest.forEach((t, read) -> result(read).items().stream().findFirst()
                .ifPresent(item -> jobOf.put(t, Long.parseLong(item.get("id").n()))));
        Map<Long, UnifiedJob> jobs = jobOf.isEmpty() ? Map.of() : findMany(jobOf.values());
        Map<Long, UnifiedJob> out = new java.util.HashMap<>();
        jobOf.forEach((t, id) -> {
            if (jobs.containsKey(id)) {
                out.put(t, jobs.get(id));
            }
        });
        return out;
    }

    /**
     * The sequences item that names a template's newest job (its {@code value}; {@link #NO_JOB}
     * once a read found it has none). Not a counter: {@link JobCounters#isCounter} leaves it out.
     */
    static String newestName(long templateId) {
        return "newest#template#" + templateId;
    }

    /** A pointer's value for a template that has no job (0 is never a job's id). */
    private static final long NO_JOB = 0;

    /**
     * Points a template at job {@code id} if that is newer than what it points at: a conditional
     * write, so two launches in either order, or a read's refill racing a launch, leave the higher
     * id. {@code replacing} is a pointer read before that named a job since deleted, which an
     * older (lower) id may replace. Best effort, as the rest of a job's bookkeeping: a pointer left
     * low shows an older last job until the nightly repair ({@link #repairCounts}) raises it.
     */
    private void raiseNewest(long templateId, long id, Long replacing) {
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":id", AttributeValues.n(id)));
        String condition = "attribute_not_exists(#v) OR #v < :id";
        if (replacing != null) {
            condition += " OR #v = :gone";
            values.put(":gone", AttributeValues.n(replacing));
        }
        String when = condition;
        try {
            sequences.client.updateItem(r -> r.tableName(sequences.name)
                    .key(Map.of("name", AttributeValues.s(newestName(templateId))))
                    .updateExpression("SET #v = :id")
                    .conditionExpression(when)
                    .expressionAttributeNames(Map.of("#v", "value"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException newerAlready) {
            // a newer job points it already
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            LOG.warning(() -> "template " + templateId + "'s newest job pointer was not set to " + id + " (" + e.getMessage()
                    + "); its pages read the index until it is");
        }
    }

    @Override
    public Page<UnifiedJob> ofTemplates(java.util.Set<Long> templateIds, PageRequest page) {
        if (templateIds.isEmpty()) {
            return new Page<>(List.of(), 0);
        }
        // the templates' keys-only partitions merged in id order, as unified_jobs/ merges kinds;
        // the count read meanwhile
        java.util.concurrent.Future<Long> count = SHARD_READERS.submit(() -> count(templateIds.stream().map(JobCounters::ofTemplate).toList()));
        List<Long> ids = KeyMerge.of(table.client, templateIds.stream().map(t -> templateKeys(t, page.descending())).toList(),
                page.descending()).skipAndTake(page.offset(), page.pageSize());
        return new Page<>(inOrder(ids, page), result(count));
    }

    @Override
    public Page<UnifiedJob> ofTemplate(long templateId, PageRequest page) {
        List<Long> ids = KeyMerge.of(table.client, List.of(templateKeys(templateId, page.descending())), page.descending())
                .skipAndTake(page.offset(), page.pageSize());
        return new Page<>(inOrder(ids, page), count(List.of(JobCounters.ofTemplate(templateId))));
    }

    private QueryRequest.Builder typeKeys(JobKind kind, boolean descending) {
        return QueryRequest.builder().tableName(table.name).indexName(BY_TYPE)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", JobFields.TYPE))
                .expressionAttributeValues(Map.of(":t", AttributeValues.s(kind.type())))
                .scanIndexForward(!descending);
    }

    private QueryRequest.Builder statusKeys(JobKind kind, JobStatus status, boolean descending) {
        return QueryRequest.builder().tableName(table.name).indexName(BY_STATUS)
                .keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", STATUS_KEY))
                .expressionAttributeValues(Map.of(":k", AttributeValues.s(statusKey(kind, status))))
                .scanIndexForward(!descending);
    }

    /** These {@code job_filters} partitions merged in the page's id order. */
    private KeyMerge filterKeys(List<String> keys, PageRequest page) {
        return KeyMerge.of(filters.client, keys.stream().map(k -> filterKeys(k, page.descending())).toList(), page.descending());
    }

    /** As {@link #filterKeys(String, boolean)}, from an id edge ({@link JobPositions.Start}) if there is one. */
    private QueryRequest.Builder filterKeys(String filterKey, boolean descending, Long edge) {
        return fromEdge(filterKeys(filterKey, descending), FILTER_KEY, AttributeValues.s(filterKey), descending, edge);
    }

    /** A {@code job_filters} partition's ids, read consistently (the table is its own, not an index). */
    private QueryRequest.Builder filterKeys(String filterKey, boolean descending) {
        return QueryRequest.builder().tableName(filters.name).consistentRead(true)
                .keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", FILTER_KEY))
                .expressionAttributeValues(Map.of(":k", AttributeValues.s(filterKey)))
                .scanIndexForward(!descending);
    }

    private QueryRequest.Builder templateKeys(long templateId, boolean descending) {
        return QueryRequest.builder().tableName(table.name).indexName(BY_TEMPLATE)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", JobFields.UNIFIED_JOB_TEMPLATE))
                .expressionAttributeValues(Map.of(":t", AttributeValues.n(templateId)))
                .scanIndexForward(!descending);
    }

    /**
     * Recounts from one scan of the jobs (only the attributes the counters need are
     * returned) and rewrites a drifted counter only if it did not move while the scan ran
     * (its value read before the scan still holds, checked in the write's condition): a counter
     * that moved is left for the next run rather than overwritten with a stale recount. The kinds'
     * {@link JobPositions} blocks are recounted from the same scan the same way.
     */
    @Override
    public Map<String, Long> repairCounts() {
        // read before the scan, as the write conditions need: the positions' blocks with the counters
        Map<String, Map<String, Long>> blocksBefore = new java.util.HashMap<>();
        Map<String, Long> stored = storedValues(blocksBefore);
        Map<String, Long> before = new java.util.HashMap<>(stored);
        before.keySet().removeIf(name -> !JobCounters.isCounter(name));
        List<UnifiedJob> slim = new ArrayList<>();
        table.client.scanPaginator(r -> r.tableName(table.name).consistentRead(true)
                        .projectionExpression("#i, #t, #s, #u, #l, #inv, #prj")
                        .expressionAttributeNames(Map.of("#i", "id", "#t", JobFields.TYPE, "#s", JobFields.STATUS,
                                "#u", JobFields.UNIFIED_JOB_TEMPLATE, "#l", JobFields.LAUNCH_TYPE,
                                "#inv", JobFields.INVENTORY, "#prj", JobFields.PROJECT)))
                .items().forEach(item -> slim.add(toJob(item)));
        Map<String, Long> right = JobCounters.of(slim);
        java.util.Set<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(right.keySet());
        Map<String, Long> fixed = new java.util.TreeMap<>();
        for (String name : names) {
            if (repairNumber(name, "value", before.get(name), right.getOrDefault(name, 0L), false)) {
                fixed.put(name, right.getOrDefault(name, 0L));
            }
        }
        fixed.putAll(repairPositions(slim, blocksBefore));
        fixed.putAll(raiseLowPointers(slim, stored));
        return fixed;
    }

    /**
     * Sets one number of a sequences item ({@code item}'s {@code attribute}) to its recount {@code want}
     * if it still holds {@code seen} (absent: null), as {@link #repairCounts} describes; a number
     * recounted to 0 is removed if {@code removeZero}. True if it was written.
     */
    private boolean repairNumber(String item, String attribute, Long seen, long want, boolean removeZero) {
        boolean removable = removeZero && want == 0 && seen != null;
        if (seen != null && seen == want && !removable || seen == null && want == 0) {
            return false;
        }
        Map<String, String> names = Map.of("#v", attribute);
        try {
            Map<String, AttributeValue> values = new java.util.HashMap<>();
            if (!removable) {
                values.put(":want", AttributeValues.n(want));
            }
            if (seen != null) {
                values.put(":seen", AttributeValues.n(seen));
            }
            sequences.client.updateItem(r -> r.tableName(sequences.name)
                    .key(Map.of("name", AttributeValues.s(item)))
                    .updateExpression(removable ? "REMOVE #v" : "SET #v = :want")
                    .conditionExpression(seen == null ? "attribute_not_exists(#v)" : "#v = :seen")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException movedMeanwhile) {
            // Jobs were written during the scan, and moved the number: the scan saw some of them
            // and missed others, so neither the recount nor "recount minus the moves" is exact.
            // Only a drift larger than those moves can be a number left short (or never set, as
            // a new one is after an upgrade, which a busy install writes all day): it is moved by
            // the drift, off by at most the jobs written during the scan, and a quiet night's run
            // then sets it exactly. A drift the moves explain is left alone: moving it would count
            // the jobs inserted during the scan twice (their own writes counted them already).
            long base = seen == null ? 0 : seen;
            long drift = want - base;
            Map<String, AttributeValue> now = sequenceItems(List.of(item)).getOrDefault(item, Map.of());
            long moved = (now.containsKey(attribute) ? Long.parseLong(now.get(attribute).n()) : 0L) - base;
            if (drift == 0 || Long.signum(drift) == Long.signum(moved) && Math.abs(drift) <= Math.abs(moved)) {
                return false; // (a block recounted to 0 that a launch moved meanwhile: it holds that job now)
            }
            sequences.client.updateItem(r -> r.tableName(sequences.name)
                    .key(Map.of("name", AttributeValues.s(item)))
                    .updateExpression("ADD #v :d")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":d", AttributeValues.n(drift))));
            return true;
        }
    }

    /**
     * Recounts each kind's {@link JobPositions} blocks from the scan {@link #repairCounts} made, as it
     * does the counters, and removes the blocks the cleanup of old jobs left empty: the item keeps to
     * the history kept. {@code before}: the blocks as read before the scan. Answers the blocks
     * written, as {@code positions#<type>#b<block>}.
     */
    private Map<String, Long> repairPositions(List<UnifiedJob> slim, Map<String, Map<String, Long>> before) {
        Map<JobKind, Map<String, Long>> right = new java.util.EnumMap<>(JobKind.class);
        slim.forEach(j -> right.computeIfAbsent(j.kind(), k -> new java.util.HashMap<>())
                .merge(JobPositions.attribute(j.id(), positionBlock), 1L, Long::sum));
        Map<String, Long> fixed = new java.util.TreeMap<>();
        for (JobKind kind : JobKind.values()) {
            String item = JobPositions.name(kind);
            Map<String, Long> want = right.getOrDefault(kind, Map.of());
            Map<String, Long> seen = before.getOrDefault(item, Map.of());
            java.util.Set<String> blocks = new java.util.TreeSet<>(seen.keySet());
            blocks.addAll(want.keySet());
            for (String block : blocks) {
                long w = want.getOrDefault(block, 0L);
                if (repairNumber(item, block, seen.get(block), w, true)) {
                    fixed.put(item + "#" + block, w);
                }
            }
        }
        return fixed;
    }

    /**
     * Raises each newest-job pointer ({@link #newestName}) left below its template's newest job (a
     * launch whose bookkeeping failed), the one drift a page cannot see for itself: a pointer
     * missing or naming a deleted job is mended by the next page that reads it. A deleted job's
     * pointer is left so rather than rewritten at every delete (the nightly cleanup deletes
     * thousands), and a launch during the scan has raised its pointer higher already.
     */
    private Map<String, Long> raiseLowPointers(List<UnifiedJob> slim, Map<String, Long> pointers) {
        Map<Long, Long> newest = new java.util.HashMap<>();
        slim.forEach(j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).ifPresent(t -> newest.merge(t, j.id(), Math::max)));
        Map<String, Long> raised = new java.util.TreeMap<>();
        newest.forEach((t, id) -> {
            Long at = pointers.get(newestName(t));
            if (at != null && at < id) {
                raiseNewest(t, id, null);
                raised.put(newestName(t), id);
            }
        });
        return raised;
    }

    /**
     * Every named value of the sequences table, read before the repair's scan of the jobs: the
     * counters, and the newest-job pointers ({@link #newestName}) that {@link #raiseLowPointers} checks.
     */
    /**
     * Every number of the sequences table, one scan: the items' values by name, and the
     * {@link JobPositions} items' blocks into {@code blocks} (item name → block attribute → jobs).
     */
    private Map<String, Long> storedValues(Map<String, Map<String, Long>> blocks) {
        Map<String, Long> out = new java.util.HashMap<>();
        sequences.client.scanPaginator(r -> r.tableName(sequences.name).consistentRead(true)).items().forEach(item -> {
            String name = item.get("name").s();
            if (item.containsKey("value") && item.get("value").n() != null) {
                out.put(name, Long.parseLong(item.get("value").n()));
            }
            item.forEach((attribute, value) -> {
                if (JobPositions.isBlock(attribute) && value.n() != null) {
                    blocks.computeIfAbsent(name, n -> new java.util.HashMap<>()).put(attribute, Long.parseLong(value.n()));
                }
            });
        });
        return out;
    }

    /** The jobs of these ids in this order, read in batches (one deleted meanwhile is left out). */
    private List<UnifiedJob> inOrder(List<Long> ids) {
        Map<Long, UnifiedJob> found = findMany(ids);
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * As {@link #inOrder(List)}, reading only the jobs the request has not read ahead
     * ({@link PageRequest#readAhead}): a polled page whose jobs were all read beside its token reads
     * none here, one round trip fewer.
     */
    private List<UnifiedJob> inOrder(List<Long> ids, PageRequest page) {
        Map<Long, UnifiedJob> ahead = page.readAhead();
        List<Long> missing = ahead.isEmpty() ? ids : ids.stream().filter(id -> !ahead.containsKey(id)).toList();
        Map<Long, UnifiedJob> found = missing.isEmpty() ? Map.of() : findMany(missing);
        return ids.stream().map(id -> ahead.containsKey(id) ? ahead.get(id) : found.get(id)).filter(java.util.Objects::nonNull).toList();
    }

    private void queryAll(QueryRequest request, List<UnifiedJob> out) {
        table.client.queryPaginator(request).items().forEach(item -> out.add(seen(toJob(item))));
    }

    static UnifiedJob toJob(Map<String, AttributeValue> item) {
        Map<String, Object> fields = AttributeValues.fromItem(item);
        fields.remove(ACTIVE_SHARD);
        fields.remove(STATUS_KEY);
        fields.remove(FINISHED_KEY);
        fields.remove(FINISHED_AT);
        // DynamoDB normalises numbers ("0.0" is stored as 0); elapsed is a float in AWX's API.
        if (fields.get(JobFields.ELAPSED) instanceof Number n) {
            fields.put(JobFields.ELAPSED, n.doubleValue());
        }
        return UnifiedJob.of(fields);
    }
}
