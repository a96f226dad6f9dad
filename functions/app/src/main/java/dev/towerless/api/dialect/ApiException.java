package dev.towerless.api.dialect;

import io.micronaut.http.HttpStatus;
import java.util.Map;

/** An API answer other than success, with AWX's {@code {"detail": ...}} body. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final Map<String, Object> body;

    public ApiException(HttpStatus status, Map<String, Object> body) {
        super(String.valueOf(body));
        this.status = status;
        this.body = body;
    }

    public static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, Map.of("detail", "Not found."));
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Map.of("detail", detail));
    }

    public static ApiException field(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, Map.of(field, java.util.List.of(message)));
    }

    public static ApiException methodNotAllowed(String method) {
        return new ApiException(HttpStatus.METHOD_NOT_ALLOWED, Map.of("detail", "Method \"" + method + "\" not allowed."));
    }

    /** AWX's generic 403. */
    public static ApiException permissionDenied() {
        return forbidden(dev.towerless.core.access.AccessDenied.GENERIC);
    }

    /** A 403 unless {@code allowed}. */
    public static void require(boolean allowed) {
        if (!allowed) {
            throw permissionDenied();
        }
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, Map.of("detail", detail));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
