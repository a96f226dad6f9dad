package dev.towerless.api.system;

import dev.towerless.api.dialect.Responses;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code ping/}: is the control plane alive, and when did its passes last run (no authentication). */
@Controller("/api/v2/ping")
public class PingController {
    private final ControlPlaneView controlPlane;

    public PingController(ControlPlaneView controlPlane) {
        this.controlPlane = controlPlane;
    }

    @Get("/")
    public HttpResponse<String> ping() {
        return Responses.ok(controlPlane.ping());
    }
}
