package dev.towerless.core.ports;

/** AWX-style paging: 1-based page number and page size, newest or oldest first by id. */
public record PageRequest(int page, int pageSize, boolean descending) {
    public static final int MAX_PAGE_SIZE = 200;

    public PageRequest {
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
