package dev.towerless.api.dialect;

import dev.towerless.core.access.AccessDenied;
import dev.towerless.core.resources.ValidationException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps failures to AWX's error bodies. A user's mistake is never a 500. */
public final class ErrorHandlers {
    private ErrorHandlers() {
    }

    @Produces
    @Singleton
    @Requires(classes = {ApiException.class, ExceptionHandler.class})
    public static class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException e) {
            return Responses.json(e.status(), e.body());
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {ValidationException.class, ExceptionHandler.class})
    public static class ValidationHandler implements ExceptionHandler<ValidationException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ValidationException e) {
            return Responses.json(HttpStatus.BAD_REQUEST, e.errors());
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {AccessDenied.class, ExceptionHandler.class})
    public static class AccessDeniedHandler implements ExceptionHandler<AccessDenied, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, AccessDenied e) {
            return Responses.json(HttpStatus.FORBIDDEN, Map.of("detail", e.getMessage()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {RuntimeException.class, ExceptionHandler.class})
    public static class UnexpectedHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
        private static final Logger LOG = Logger.getLogger(UnexpectedHandler.class.getName());

        @Override
        public HttpResponse<?> handle(HttpRequest request, RuntimeException e) {
            LOG.log(Level.SEVERE, "unexpected failure serving " + request.getMethodName() + " " + request.getPath(), e);
            return Responses.json(HttpStatus.INTERNAL_SERVER_ERROR,
                    Map.of("detail", "A server error has occurred."));
        }
    }
}
