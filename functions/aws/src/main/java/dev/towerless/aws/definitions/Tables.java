package dev.towerless.aws.definitions;

import dev.towerless.aws.definitions.TableDefinition.Index;
import dev.towerless.aws.definitions.TableDefinition.Key;
import dev.towerless.aws.definitions.TableDefinition.KeyType;
import java.util.List;
import java.util.Optional;

/** Every table, designed for the access paths the managers and the API need (ARCHITECTURE.md). */
public final class Tables {

    /**
     * Unified jobs by id. {@code active} is sparse: only new/pending/waiting/running jobs carry
     * {@code active_shard}, so "all active jobs, oldest first" reads only active jobs however many
     * finished jobs exist. Its value is one of 16 shard keys ({@code active#<id mod 16>}), so the
     * writes of thousands of running jobs spread over 16 partitions (DynamoJobStore). It projects
     * every attribute: the task manager reads whole pending jobs from it in one pass. A heartbeat
     * does not write the job (it has its own table), so running jobs cost their index entry only
     * when they change status.
     * {@code by_type_keys} and {@code by_template_keys} hold keys only: a page of a list is its
     * keys, then one batch read of the page, and a write that changes no key writes neither, so a
     * popular type or template is no hot key. (Renamed from {@code by_type}/{@code by_template}, which
     * projected everything: an index's projection cannot change in place.)
     * {@code by_status_keys} ({@code status_key} = {@code <type>#<status>}, {@code id}) holds keys
     * only too and serves {@code ?status=} pages; a status change rewrites {@code status_key} in
     * the same conditional write (DynamoJobStore); a write that changes no status writes no entry.
     * {@code by_finished_keys} ({@code finished_key} = {@code <type>#<launch_type>}, {@code finished_at})
     * holds keys only and serves AWX's {@code order_by=-finished} (its UI's Jobs screen, with
     * {@code not__launch_type=sync}); it is sparse: the write that finishes a job sets both, so an
     * active job has no entry, and nothing writes them again. {@code finished_at} is a copy of
     * {@code finished}, which older versions stored as a null on active jobs: an index key of
     * the wrong type would make those items unwritable.
     * Add at most ONE index per deploy: CloudFormation adds a single GSI per table per stack
     * update, so a template that adds two fails its deploy. Locally, the Provisioner copies the
     * table to add it (dynalite cannot add an index in place).
     */
    public static final TableDefinition JOBS = new TableDefinition("jobs",
            new Key("id", KeyType.NUMBER), Optional.empty(),
            List.of(new Index("active", new Key("active_shard", KeyType.STRING), Optional.of(new Key("created", KeyType.STRING))),
                    new Index("by_type_keys", new Key("type", KeyType.STRING), Optional.of(new Key("id", KeyType.NUMBER)),
                            TableDefinition.Projection.KEYS_ONLY),
                    new Index("by_template_keys", new Key("unified_job_template", KeyType.NUMBER),
                            Optional.of(new Key("id", KeyType.NUMBER)), TableDefinition.Projection.KEYS_ONLY),
                    new Index("by_status_keys", new Key("status_key", KeyType.STRING), Optional.of(new Key("id", KeyType.NUMBER)),
                            TableDefinition.Projection.KEYS_ONLY),
                    new Index("by_finished_keys", new Key("finished_key", KeyType.STRING),
                            Optional.of(new Key("finished_at", KeyType.STRING)), TableDefinition.Projection.KEYS_ONLY)),
            Optional.empty());

    /**
     * The jobs of each kind by inventory, project and launch type ({@code JobFilters}): one item
     * per job and field, {@code filter_key} = {@code <type>#<word>#<value>}, {@code id} = the job's,
     * and nothing else. Its own table rather than more jobs-table indexes: these fields change
     * only when an inventory or project is deleted (AWX's SET_NULL), so an entry is written beside the
     * job, moved by that unlink, and deleted with the job;
     * a table of its own is read with consistent queries and adds no index to a table that can
     * take one more per deploy. A {@code ?inventory=N} page is a query of its keys, then one batch
     * read of the jobs.
     */
    public static final TableDefinition JOB_FILTERS = new TableDefinition("job_filters",
            new Key("filter_key", KeyType.STRING), Optional.of(new Key("id", KeyType.NUMBER)), List.of(), Optional.empty());

    /** Everything that is not a job, partitioned by type; by natural key (name) and by parent. */
    public static final TableDefinition RESOURCES = new TableDefinition("resources",
            new Key("type", KeyType.STRING), Optional.of(new Key("id", KeyType.NUMBER)),
            List.of(new Index("by_name", new Key("type", KeyType.STRING), Optional.of(new Key("natural_key", KeyType.STRING))),
                    new Index("by_parent", new Key("parent_key", KeyType.STRING), Optional.of(new Key("id", KeyType.NUMBER)))),
            Optional.empty());

    /** Job events in counter order (stdout paging is a range query); expired by TTL on AWS. */
    public static final TableDefinition EVENTS = new TableDefinition("events",
            new Key("job_id", KeyType.NUMBER), Optional.of(new Key("counter", KeyType.NUMBER)),
            List.of(), Optional.of("expires_at"));

    /**
     * AWX's job host summaries: a job's are one query ({@code job_id}), a host's newest first one
     * query on the sparse {@code by_host} index (a summary of a host ansible added has no host).
     * Expired with the job's events.
     */
    public static final TableDefinition HOST_SUMMARIES = new TableDefinition("host_summaries",
            new Key("job_id", KeyType.NUMBER), Optional.of(new Key("id", KeyType.NUMBER)),
            List.of(new Index("by_host", new Key("host_id", KeyType.NUMBER), Optional.of(new Key("id", KeyType.NUMBER)))),
            Optional.of("expires_at"));

    /**
     * Runners' heartbeats, one small item per running job (DynamoHeartbeatStore): a heartbeat is
     * one write unit whatever the job holds, and writes no index of the jobs table. No index of
     * its own: the reaper reads the running jobs' heartbeats by key, 100 to a batch read.
     */
    public static final TableDefinition HEARTBEATS = new TableDefinition("heartbeats",
            new Key("job_id", KeyType.NUMBER), Optional.empty(), List.of(), Optional.of("expires_at"));

    /** Single-writer leases (the task manager). */
    public static final TableDefinition LEASES = new TableDefinition("leases",
            new Key("name", KeyType.STRING), Optional.empty(), List.of(), Optional.empty());

    /** Id sequences, incremented atomically. */
    public static final TableDefinition SEQUENCES = new TableDefinition("sequences",
            new Key("name", KeyType.STRING), Optional.empty(), List.of(), Optional.empty());

    private Tables() {
    }

    public static List<TableDefinition> all() {
        return List.of(JOBS, RESOURCES, EVENTS, LEASES, SEQUENCES, HOST_SUMMARIES, HEARTBEATS, JOB_FILTERS);
    }
}
