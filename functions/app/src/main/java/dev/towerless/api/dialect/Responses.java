package dev.towerless.api.dialect;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** JSON responses with AWX's product headers. */
public final class Responses {
    public static final String PRODUCT_NAME = "Towerless";
    public static final String PRODUCT_VERSION = "0.1.0";

    private Responses() {
    }

    public static MutableHttpResponse<String> json(HttpStatus status, Object body) {
        return withHeaders(HttpResponse.<String>status(status).body(Json.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    public static MutableHttpResponse<String> ok(Object body) {
        return json(HttpStatus.OK, body);
    }

    public static MutableHttpResponse<String> created(Object body) {
        return json(HttpStatus.CREATED, body);
    }

    public static MutableHttpResponse<String> noContent() {
        return withHeaders(HttpResponse.status(HttpStatus.NO_CONTENT));
    }

    public static MutableHttpResponse<String> text(String body, String contentType) {
        return withHeaders(HttpResponse.<String>ok(body).contentType(contentType));
    }

    public static <T> MutableHttpResponse<T> withHeaders(MutableHttpResponse<T> r) {
        return r.header("X-API-Product-Name", PRODUCT_NAME).header("X-API-Product-Version", PRODUCT_VERSION);
    }
}
