package dev.towerless.core.ports;

import dev.towerless.core.jobs.UnifiedJob;
import java.util.Map;

/**
 * AWX-style paging: 1-based page number and page size, newest or oldest first by id.
 *
 * <p>{@code readAhead}: jobs this request has read already, consistently (beside its token, at its
 * prefetch hint: {@link JointReads}). A store may serve the page's items from them instead of
 * reading those jobs again; it still finds which jobs the page holds by its own keys, so a job
 * read ahead that is not on the page never shows. Only jobs: other pages ignore it.
 */
public record PageRequest(int page, int pageSize, boolean descending, Map<Long, UnifiedJob> readAhead) {
    public static final int MAX_PAGE_SIZE = 200;

    public PageRequest {
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        readAhead = Map.copyOf(readAhead);
    }

    public PageRequest(int page, int pageSize, boolean descending) {
        this(page, pageSize, descending, Map.of());
    }

    /** This page, to be served with these jobs already read. */
    public PageRequest withReadAhead(Map<Long, UnifiedJob> jobs) {
        return new PageRequest(page, pageSize, descending, jobs);
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
