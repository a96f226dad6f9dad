package dev.towerless.core.testing;

import dev.towerless.core.jobs.JobFields;
import dev.towerless.core.jobs.JobKind;
import dev.towerless.core.jobs.JobStatus;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.LeaseStore;
import dev.towerless.core.ports.Page;
import dev.towerless.core.ports.PageRequest;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.ports.RunnerLauncher;
import dev.towerless.core.resources.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Port fakes for deterministic core tests (the adapters are tested against real emulators by
 * the contract suites in the localstack module). Same semantics: conditional writes by status.
 */
public final class FakeStores {
    private FakeStores() {
    }

    public static final class Jobs implements JobStore {
        private final TreeMap<Long, UnifiedJob> jobs = new TreeMap<>();
        /** The counters, kept as the DynamoDB store keeps them: moved after each successful write. */
        private final Map<String, Long> counters = new HashMap<>();
        public int writes;

        @Override
        public synchronized void insert(UnifiedJob job) {
            if (jobs.putIfAbsent(job.id(), job) != null) {
                throw new ConflictException("exists");
            }
            writes++;
            dev.towerless.core.jobs.JobCounters.of(job).forEach(c -> counters.merge(c, 1L, Long::sum));
        }

        /** A write that moved a listed field (an unlinked inventory or project) moves its counters, as the DynamoDB store does. */
        private void relist(UnifiedJob was, UnifiedJob is) {
            List<String> before = dev.towerless.core.jobs.JobFilters.keysOf(was);
            List<String> after = dev.towerless.core.jobs.JobFilters.keysOf(is);
            before.stream().filter(k -> !after.contains(k))
                    .forEach(k -> counters.merge(dev.towerless.core.jobs.JobCounters.ofFilterKey(k), -1L, Long::sum));
            after.stream().filter(k -> !before.contains(k))
                    .forEach(k -> counters.merge(dev.towerless.core.jobs.JobCounters.ofFilterKey(k), 1L, Long::sum));
        }

        /** Sets a counter as a writer that died halfway would leave it (for the repair's tests). */
        public synchronized void setCounter(String name, long value) {
            counters.put(name, value);
        }

        @Override
        public synchronized Optional<UnifiedJob> find(long id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public synchronized Map<Long, UnifiedJob> findMany(java.util.Collection<Long> ids) {
            Map<Long, UnifiedJob> out = new HashMap<>();
            ids.forEach(id -> find(id).ifPresent(j -> out.put(id, j)));
            return out;
        }

        @Override
        public synchronized Optional<UnifiedJob> updateIfStatus(long id, JobStatus expected, Map<String, Object> changes) {
            UnifiedJob j = jobs.get(id);
            if (j == null || j.status() != expected) {
                return Optional.empty();
            }
            writes++;
            UnifiedJob updated = j.with(changes);
            jobs.put(id, updated);
            dev.towerless.core.jobs.JobCounters.moves(j.kind(), j.status(), updated.status())
                    .forEach((c, n) -> counters.merge(c, n, Long::sum));
            relist(j, updated);
            return Optional.of(updated);
        }

        @Override
        public synchronized Optional<UnifiedJob> updateIfStatusAndUnchanged(long id, JobStatus expected, String field,
                                                                            Object seen, Map<String, Object> changes) {
            UnifiedJob j = jobs.get(id);
            if (j == null || !java.util.Objects.equals(j.get(field), seen)) {
                return Optional.empty();
            }
            return updateIfStatus(id, expected, changes);
        }

        @Override
        public synchronized Optional<UnifiedJob> updateIfActive(long id, Map<String, Object> changes) {
            UnifiedJob j = jobs.get(id);
            if (j == null || !j.status().isActive()) {
                return Optional.empty();
            }
            writes++;
            UnifiedJob updated = j.with(changes);
            jobs.put(id, updated);
            relist(j, updated);
            return Optional.of(updated);
        }

        @Override
        public synchronized Optional<UnifiedJob> setIfAbsent(long id, String field, Object value) {
            UnifiedJob j = jobs.get(id);
            if (j == null || j.get(field) != null) {
                return Optional.ofNullable(j);
            }
            writes++;
            UnifiedJob updated = j.with(Map.of(field, value));
            jobs.put(id, updated);
            return Optional.of(updated);
        }

        @Override
        public synchronized boolean deleteIfFinished(long id) {
            UnifiedJob j = jobs.get(id);
            if (j == null || j.status().isActive()) {
                return false;
            }
            jobs.remove(id);
            dev.towerless.core.jobs.JobCounters.of(j).forEach(c -> counters.merge(c, -1L, Long::sum));
            return true;
        }

        @Override
        public synchronized List<UnifiedJob> active() {
            return jobs.values().stream().filter(j -> j.status().isActive())
                    .sorted(Comparator.comparing(UnifiedJob::created).thenComparingLong(UnifiedJob::id)).toList();
        }

        @Override
        public synchronized Page<UnifiedJob> list(JobKind kind, PageRequest page) {
            return list(java.util.Set.of(kind), page);
        }

        @Override
        public synchronized Page<UnifiedJob> list(java.util.Set<JobKind> kinds, PageRequest page) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream().filter(j -> kinds.contains(j.kind())).toList());
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            long count = kinds.stream().mapToLong(k -> counters.getOrDefault(dev.towerless.core.jobs.JobCounters.ofKind(k), 0L)).sum();
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), Math.max(0, count));
        }

        @Override
        public synchronized Page<UnifiedJob> list(java.util.Set<JobKind> kinds, java.util.Set<JobStatus> statuses,
                                                  PageRequest page) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream()
                    .filter(j -> kinds.contains(j.kind()) && statuses.contains(j.status())).toList());
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            long count = 0;
            for (JobKind k : kinds) {
                for (JobStatus s : statuses) {
                    count += count(k, s);
                }
            }
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), count);
        }

        @Override
        public synchronized Page<UnifiedJob> ofTemplates(java.util.Set<Long> templateIds, PageRequest page) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream().filter(j -> j.longField(
                    dev.towerless.core.jobs.JobFields.UNIFIED_JOB_TEMPLATE).filter(templateIds::contains).isPresent()).toList());
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            long count = templateIds.stream().mapToLong(t -> counters.getOrDefault(
                    dev.towerless.core.jobs.JobCounters.ofTemplate(t), 0L)).sum();
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), Math.max(0, count));
        }

        @Override
        public synchronized Page<UnifiedJob> byFinished(java.util.Set<JobKind> kinds,
                                                        java.util.Set<dev.towerless.core.jobs.LaunchType> launchTypes,
                                                        PageRequest page) {
            java.util.Set<String> launched = new java.util.HashSet<>();
            launchTypes.forEach(l -> launched.add(l.apiName()));
            // PostgreSQL's order: a missing finished sorts above every time; ties in id order
            Comparator<UnifiedJob> ascending = Comparator
                    .comparing((UnifiedJob j) -> j.string(dev.towerless.core.jobs.JobFields.FINISHED).orElse("\uffff"))
                    .thenComparingLong(UnifiedJob::id);
            // (a job in a finished status without its stamp is in neither part, as in the DynamoDB store)
            List<UnifiedJob> all = jobs.values().stream()
                    .filter(j -> kinds.contains(j.kind()) && launched.contains(j.get(dev.towerless.core.jobs.JobFields.LAUNCH_TYPE)))
                    .filter(j -> j.status().isActive() || j.get(dev.towerless.core.jobs.JobFields.FINISHED) != null)
                    .sorted(page.descending() ? ascending.reversed() : ascending).toList();
            long count = 0;
            for (JobKind k : kinds) {
                for (String l : launched) {
                    count += counters.getOrDefault(dev.towerless.core.jobs.JobCounters.ofLaunchType(k, l), 0L);
                }
            }
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), Math.max(0, count));
        }

        @Override
        public synchronized Optional<Page<UnifiedJob>> withField(java.util.Set<JobKind> kinds, String field,
                                                                 java.util.Set<String> values, PageRequest page) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream().filter(j -> kinds.contains(j.kind())
                    && dev.towerless.core.jobs.JobFilters.valueOf(j, field).filter(values::contains).isPresent()).toList());
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            long count = 0;
            for (JobKind k : kinds) {
                for (String v : values) {
                    count += counters.getOrDefault(dev.towerless.core.jobs.JobCounters.ofField(k, field, v), 0L);
                }
            }
            return Optional.of(new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), Math.max(0, count)));
        }

        /** Nothing to set: the fake has no index keys to keep (every query reads the jobs themselves). */
        @Override
        public synchronized long repairIndexKeys() {
            return 0;
        }

        @Override
        public synchronized List<UnifiedJob> all(JobKind kind) {
            return jobs.values().stream().filter(j -> j.kind() == kind).toList();
        }

        @Override
        public synchronized Walk walk(java.util.Set<JobKind> kinds, boolean descending, int budget,
                                      java.util.function.Predicate<UnifiedJob> keep, int enough) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream().filter(j -> kinds.contains(j.kind())).toList());
            if (descending) {
                java.util.Collections.reverse(all);
            }
            List<UnifiedJob> kept = new ArrayList<>();
            int read = 0;
            for (UnifiedJob j : all) {
                if (read == budget || kept.size() >= enough) {
                    return new Walk(kept, false);
                }
                read++;
                if (keep.test(j)) {
                    kept.add(j);
                }
            }
            return new Walk(kept, true);
        }

        @Override
        public synchronized long count(JobKind kind, JobStatus status) {
            return status.isFinished()
                    ? Math.max(0, counters.getOrDefault(dev.towerless.core.jobs.JobCounters.ofStatus(kind, status), 0L))
                    : active().stream().filter(j -> j.kind() == kind && j.status() == status).count();
        }

        @Override
        public synchronized List<UnifiedJob> ofTemplate(long templateId, int limit) {
            return jobs.descendingMap().values().stream()
                    .filter(j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L) == templateId).limit(limit).toList();
        }

        @Override
        public synchronized Page<UnifiedJob> ofTemplate(long templateId, PageRequest page) {
            List<UnifiedJob> all = new ArrayList<>(jobs.values().stream()
                    .filter(j -> j.longField(JobFields.UNIFIED_JOB_TEMPLATE).orElse(-1L) == templateId).toList());
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            long count = counters.getOrDefault(dev.towerless.core.jobs.JobCounters.ofTemplate(templateId), 0L);
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), Math.max(0, count));
        }

        @Override
        public synchronized Map<String, Long> repairCounts() {
            Map<String, Long> right = dev.towerless.core.jobs.JobCounters.of(jobs.values());
            Map<String, Long> fixed = new java.util.TreeMap<>();
            java.util.Set<String> names = new java.util.HashSet<>(counters.keySet());
            names.removeIf(n -> !dev.towerless.core.jobs.JobCounters.isCounter(n));
            names.addAll(right.keySet());
            for (String name : names) {
                long want = right.getOrDefault(name, 0L);
                if (counters.getOrDefault(name, 0L) != want) {
                    counters.put(name, want);
                    fixed.put(name, want);
                }
            }
            return fixed;
        }
    }

    public static final class Resources implements ResourceStore {
        private final Map<String, TreeMap<Long, Resource>> byType = new HashMap<>();
        private final Map<String, Long> sequences = new HashMap<>();
        /** Per-type counters kept as the DynamoDB adapter keeps them: moved by stored inserts and deletes only. */
        private final Map<String, Long> counts = new HashMap<>();
        private int writes;

        /** Sets a type's counter to a wrong value, as a crash between an insert and its count would (tests of the repair). */
        public synchronized void breakCount(String type, long value) {
            counts.put(type, value);
        }

        /** Items written so far (creates, updates, deletes), for tests that count what a rule costs. */
        public synchronized int writes() {
            return writes;
        }

        @Override
        public synchronized Resource create(String type, Map<String, Object> fields) {
            return insert(new Resource(type, nextId(dev.towerless.core.resources.ResourceTypes.sequenceFor(type)), fields));
        }

        @Override
        public synchronized Resource insert(Resource r) {
            if (byType.computeIfAbsent(r.type(), t -> new TreeMap<>()).putIfAbsent(r.id(), r) != null) {
                throw new ConflictException("exists");
            }
            writes++;
            counts.computeIfPresent(r.type(), (t, n) -> n + 1);
            sequences.merge(dev.towerless.core.resources.ResourceTypes.sequenceFor(r.type()), r.id(), Math::max);
            return r;
        }

        @Override
        public synchronized Optional<Resource> get(String type, long id) {
            return Optional.ofNullable(byType.getOrDefault(type, new TreeMap<>()).get(id));
        }

        @Override
        public synchronized Optional<Resource> findByName(String type, String name) {
            // The natural key, as the DynamoDB adapter indexes it (a user's is its username).
            String key = dev.towerless.core.resources.ResourceTypes.naturalKeyField(type);
            return all(type).stream().filter(r -> name.equals(r.get(key))).findFirst();
        }

        @Override
        public synchronized Optional<Resource> update(String type, long id, Map<String, Object> changes) {
            return get(type, id).map(r -> {
                Resource u = r.with(changes);
                writes++;
                byType.get(type).put(id, u);
                return u;
            });
        }

        @Override
        public synchronized Optional<Resource> updateIf(String type, long id, String field, Object expected,
                                                        Map<String, Object> changes) {
            return get(type, id).filter(r -> Objects.equals(r.get(field), expected)).flatMap(r -> update(type, id, changes));
        }

        @Override
        public synchronized Map<Long, Resource> getMany(String type, java.util.Collection<Long> ids) {
            Map<Long, Resource> out = new HashMap<>();
            ids.forEach(id -> get(type, id).ifPresent(r -> out.put(id, r)));
            return out;
        }

        @Override
        public synchronized boolean delete(String type, long id) {
            writes++;
            boolean removed = byType.getOrDefault(type, new TreeMap<>()).remove(id) != null;
            if (removed) {
                counts.computeIfPresent(type, (t, n) -> n - 1);
            }
            return removed;
        }

        @Override
        public synchronized Page<Resource> list(String type, PageRequest page) {
            List<Resource> all = all(type);
            if (page.descending()) {
                java.util.Collections.reverse(all);
            }
            return new Page<>(all.stream().skip(page.offset()).limit(page.pageSize()).toList(), count(type));
        }

        @Override
        public synchronized List<Resource> first(String type, int limit) {
            return all(type).stream().limit(limit).toList();
        }

        @Override
        public synchronized List<Resource> named(String type, String name) {
            String key = dev.towerless.core.resources.ResourceTypes.naturalKeyField(type);
            return all(type).stream().filter(r -> r.get(key) != null && !name.isEmpty() && name.equals(r.get(key).toString()))
                    .toList();
        }

        @Override
        public synchronized List<Resource> all(String type) {
            return new ArrayList<>(byType.getOrDefault(type, new TreeMap<>()).values());
        }

        @Override
        public synchronized long count(String type) {
            return Math.max(0, counts.computeIfAbsent(type, t -> (long) byType.getOrDefault(t, new TreeMap<>()).size()));
        }

        @Override
        public synchronized long recount(String type) {
            long n = byType.getOrDefault(type, new TreeMap<>()).size();
            counts.put(type, n);
            return n;
        }

        @Override
        public synchronized List<Resource> where(String type, String field, Object value) {
            return all(type).stream().filter(r -> Objects.equals(r.get(field), value)).toList();
        }

        @Override
        public synchronized long nextId(String sequence) {
            return sequences.merge(sequence, 1L, Long::sum);
        }
    }

    /** Job events by (job, counter); writing an event again replaces it, as a DynamoDB put does. */
    public static final class Events implements dev.towerless.core.ports.EventStore {
        private final Map<Long, java.util.TreeMap<Long, dev.towerless.core.jobs.JobEvent>> byJob = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public synchronized void append(List<dev.towerless.core.jobs.JobEvent> events) {
            for (dev.towerless.core.jobs.JobEvent e : events) {
                byJob.computeIfAbsent(e.jobId(), j -> new java.util.TreeMap<>()).put(e.counter(), e);
            }
        }

        private final Map<Long, dev.towerless.core.jobs.EventExtent> extents = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, Map<Long, dev.towerless.core.jobs.LineMark>> marks = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public synchronized int deleteAll(long jobId) {
            extents.remove(jobId);
            marks.remove(jobId);
            java.util.TreeMap<Long, dev.towerless.core.jobs.JobEvent> gone = byJob.remove(jobId);
            return gone == null ? 0 : gone.size();
        }

        @Override
        public synchronized List<dev.towerless.core.jobs.JobEvent> before(long jobId, long beforeCounter, int limit) {
            java.util.TreeMap<Long, dev.towerless.core.jobs.JobEvent> events = byJob.get(jobId);
            return events == null ? List.of()
                    : events.headMap(beforeCounter, false).descendingMap().values().stream().limit(limit).toList();
        }

        @Override
        public synchronized void putExtent(long jobId, dev.towerless.core.jobs.EventExtent extent) {
            extents.put(jobId, extent);
        }

        @Override
        public synchronized Optional<dev.towerless.core.jobs.EventExtent> extent(long jobId) {
            return Optional.ofNullable(extents.get(jobId));
        }

        @Override
        public synchronized void putLineMarks(long jobId, List<dev.towerless.core.jobs.LineMark> lineMarks) {
            lineMarks.forEach(m -> marks.computeIfAbsent(jobId, j -> new HashMap<>()).put(m.bucket(), m));
        }

        @Override
        public synchronized Optional<dev.towerless.core.jobs.LineMark> lineMark(long jobId, long bucket) {
            return Optional.ofNullable(marks.getOrDefault(jobId, Map.of()).get(bucket));
        }

        @Override
        public synchronized List<dev.towerless.core.jobs.JobEvent> after(long jobId, long afterCounter, int limit) {
            java.util.TreeMap<Long, dev.towerless.core.jobs.JobEvent> events = byJob.get(jobId);
            return events == null ? List.of()
                    : events.tailMap(afterCounter, false).values().stream().limit(limit).toList();
        }
    }

    /** Job host summaries by id; writing one again replaces it, as a DynamoDB put does. */
    public static final class HostSummaries implements dev.towerless.core.ports.HostSummaryStore {
        private final java.util.TreeMap<Long, dev.towerless.core.jobs.HostSummary> byId = new java.util.TreeMap<>();

        @Override
        public synchronized void putAll(List<dev.towerless.core.jobs.HostSummary> summaries) {
            summaries.forEach(s -> byId.put(s.id(), s));
        }

        @Override
        public synchronized List<dev.towerless.core.jobs.HostSummary> ofJob(long jobId) {
            return byId.values().stream().filter(s -> s.jobId() == jobId).toList();
        }

        @Override
        public synchronized List<dev.towerless.core.jobs.HostSummary> ofHost(long hostId, int limit) {
            return byId.descendingMap().values().stream().filter(s -> s.hostId() != null && s.hostId() == hostId)
                    .limit(limit).toList();
        }

        @Override
        public synchronized Optional<dev.towerless.core.jobs.HostSummary> find(long id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public synchronized int deleteOfJob(long jobId) {
            List<Long> ids = byId.values().stream().filter(s -> s.jobId() == jobId).map(s -> s.id()).toList();
            ids.forEach(byId::remove);
            return ids.size();
        }
    }

    /** Heartbeats by job id, with the same silence rule as the DynamoDB adapter. */
    public static final class Heartbeats implements dev.towerless.core.ports.HeartbeatStore {
        private record Item(Instant at, String runner, boolean silenced) {
        }

        private final Map<Long, Item> byJob = new HashMap<>();

        @Override
        public synchronized boolean beat(long jobId, String runner, Instant at) {
            Item now = byJob.get(jobId);
            if (now != null && now.silenced()) {
                return false;
            }
            byJob.put(jobId, new Item(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), runner, false));
            return true;
        }

        @Override
        public synchronized Map<Long, Beat> lastBeats(Collection<Long> jobIds) {
            Map<Long, Beat> out = new HashMap<>();
            for (long id : jobIds) {
                Item i = byJob.get(id);
                if (i != null && i.at() != null) {
                    out.put(id, new Beat(i.at(), i.runner(), i.silenced()));
                }
            }
            return out;
        }

        @Override
        public synchronized boolean silence(long jobId, Optional<Instant> seen) {
            Item now = byJob.get(jobId);
            Optional<Instant> last = Optional.ofNullable(now).map(Item::at);
            if (!last.equals(seen.map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))) {
                return false;
            }
            byJob.put(jobId, new Item(last.orElse(null), now == null ? null : now.runner(), true));
            return true;
        }
    }

    public static final class Leases implements LeaseStore {
        private final Clock clock;
        private String holder;
        private Instant expires = Instant.MIN;
        private boolean rerun;

        public Leases(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized boolean tryAcquire(String name, String who, Duration ttl) {
            if (holder == null || expires.isBefore(clock.instant()) || holder.equals(who)) {
                holder = who;
                expires = clock.instant().plus(ttl);
                rerun = false;
                return true;
            }
            return false;
        }

        @Override
        public synchronized boolean requestRerun(String name) {
            if (holder == null || expires.isBefore(clock.instant())) {
                return false;
            }
            rerun = true;
            return true;
        }

        @Override
        public synchronized boolean releaseUnlessRerunRequested(String name, String who) {
            if (!who.equals(holder)) {
                return true;
            }
            if (rerun) {
                rerun = false;
                return false;
            }
            holder = null;
            return true;
        }

        @Override
        public synchronized void release(String name, String who) {
            if (who.equals(holder)) {
                holder = null;
            }
        }
    }

    /** Records launches; can be told to fail. */
    public static final class Launcher implements RunnerLauncher {
        public final List<Long> launched = new ArrayList<>();
        public String failWith;
        /** What a {@link #failWith} failure means for the job. */
        public LaunchException.Outcome failure = LaunchException.Outcome.FAILED;
        /** How many launches from now fail with {@link #failWith} (then launches succeed again); negative: all. */
        public int failures = -1;

        @Override
        public synchronized String launch(long jobId) throws LaunchException {
            if (failWith != null && failures != 0) {
                failures--;
                throw new LaunchException(failWith, null, failure);
            }
            launched.add(jobId);
            return "task-" + jobId;
        }
    }

    /** Records sent messages; nothing is ever received. */
    public static final class Queue implements dev.towerless.core.ports.MessageQueue {
        public final List<String> sent = new ArrayList<>();
        /** Sends still to refuse (an SQS outage), for fault tests. */
        public int refusals;

        @Override
        public synchronized void send(String body) {
            if (refusals > 0) {
                refusals--;
                throw new IllegalStateException("queue unavailable");
            }
            sent.add(body);
        }

        /** Messages sent for later, with their delay (not in {@link #sent}). */
        public final List<Map.Entry<String, Duration>> sentLater = new ArrayList<>();

        @Override
        public synchronized void sendLater(String body, Duration delay) {
            if (refusals > 0) {
                refusals--;
                throw new IllegalStateException("queue unavailable");
            }
            sentLater.add(Map.entry(body, delay));
        }

        @Override
        public List<QueueMessage> receive(int max, Duration wait) {
            return List.of();
        }

        @Override
        public void delete(QueueMessage message) {
        }
    }

    /**
     * Variables for core tests: writes flat dictionaries as JSON and reads back only the empty
     * ones (the adapters' codec, with full JSON and YAML, has its own tests).
     */
    public static final class FlatVariables implements dev.towerless.core.resources.VariablesCodec {
        @Override
        public Map<String, Object> parse(String text) {
            if (text == null || text.isBlank() || text.trim().equals("{}")) {
                return new java.util.LinkedHashMap<>();
            }
            throw new UnsupportedOperationException("FlatVariables reads only empty dictionaries: " + text);
        }

        @Override
        public String toJson(Object value) {
            if (value instanceof Map<?, ?> m) {
                StringBuilder out = new StringBuilder("{");
                m.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                        .append(toJson(v)));
                return out.append('}').toString();
            }
            return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        }
    }
}
