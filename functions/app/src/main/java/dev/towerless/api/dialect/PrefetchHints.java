package dev.towerless.api.dialect;

import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which objects a user's last GET of a URL named (the templates, projects, inventories a page of
 * jobs renders), which jobs it showed and whose templates' last jobs (their newest-job pointers), so
 * that their next GET of it reads them in the same batch
 * as its token and user ({@link dev.towerless.core.ports.JointReads}): a polled page of jobs is then
 * its keys' query after that batch: two round trips, where its first GET makes four. Clients poll the same pages
 * (AWX's UI every few seconds, {@code awx job wait}), and a page names and shows mostly what it did
 * before.
 *
 * <p>A hint says only what to read, never what to show: the objects are read fresh, consistently,
 * beside the token, and whatever the page then names that the hint missed is read as before. A
 * stale hint costs items read for nothing (at most {@link #IDS}), never a wrong answer. Only a
 * request whose token authenticated last time is hinted, so a stranger, or the holder of an expired
 * or deleted token, cannot make the store read for them. Bounded: {@link #URLS} URLs,
 * least recently used out, each at most {@link #IDS} objects, jobs and pointers (a BatchGetItem holds 100
 * keys; the token and the user are two).
 */
@Singleton
public class PrefetchHints {
    static final int URLS = 2_000;
    static final int IDS = 98;

    /** What to read beside a request's token: objects by type, jobs, and templates' newest-job records. */
    public record Hint(Map<String, Set<Long>> resources, Set<Long> jobs, Set<Long> templates) {
        public static final Hint NONE = new Hint(Map.of(), Set.of(), Set.of());
    }

    private final Map<String, Hint> named = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Hint> eldest) {
                    return size() > URLS;
                }
            });

    /** What this user's last GET of this URL named and showed; {@link Hint#NONE} if none is remembered. */
    public Hint of(long user, String url) {
        return named.getOrDefault(key(user, url), Hint.NONE);
    }

    /** Collects what one request names, and remembers it as that URL's hint for its user. */
    public Recorder recorder(long user, String url) {
        return new Recorder(key(user, url));
    }

    private static String key(long user, String url) {
        return user + " " + url;
    }

    /**
     * One request's objects and jobs: each prefetch adds to them, and the hint becomes all of them
     * (up to {@link #IDS}, the first recorded first).
     */
    public final class Recorder {
        private final String key;
        private final Map<String, Set<Long>> seen = new HashMap<>();
        private final Set<Long> jobs = new HashSet<>();
        private final Set<Long> templates = new HashSet<>();
        private int size;

        private Recorder(String key) {
            this.key = key;
        }

        public void record(Map<String, ? extends Collection<Long>> idsByType) {
            idsByType.forEach((type, ids) -> {
                for (Long id : ids) {
                    if (size < IDS && seen.computeIfAbsent(type, t -> new HashSet<>()).add(id)) {
                        size++;
                    }
                }
            });
            remember();
        }

        /** The jobs a page showed: its next poll reads them beside its token, and its store reads only the others. */
        public void recordJobs(Collection<Long> ids) {
            for (Long id : ids) {
                if (size < IDS && jobs.add(id)) {
                    size++;
                }
            }
            remember();
        }

        /**
         * The templates whose last jobs a page showed: its next poll reads their newest-job records
         * beside its token, and their jobs with them ({@link #recordJobs}).
         */
        public void recordTemplates(Collection<Long> ids) {
            for (Long id : ids) {
                if (size < IDS && templates.add(id)) {
                    size++;
                }
            }
            remember();
        }

        private void remember() {
            Map<String, Set<Long>> copy = new HashMap<>();
            seen.forEach((type, ids) -> copy.put(type, Set.copyOf(ids)));
            named.put(key, new Hint(Map.copyOf(copy), Set.copyOf(jobs), Set.copyOf(templates)));
        }
    }
}
