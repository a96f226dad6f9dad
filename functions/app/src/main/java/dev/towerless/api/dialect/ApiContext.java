package dev.towerless.api.dialect;

import dev.towerless.core.access.Memberships;
import dev.towerless.core.control.CancelService;
import dev.towerless.core.launch.LaunchService;
import dev.towerless.core.ports.EventStore;
import dev.towerless.core.ports.JobStore;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.ResourceValidator;
import dev.towerless.core.resources.VariablesCodec;
import dev.towerless.core.security.SecretBox;
import jakarta.inject.Singleton;
import java.time.Clock;

/** What every controller needs, in one bean so controllers stay one-line constructors. */
@Singleton
public record ApiContext(ResourceStore resources, JobStore jobs, EventStore events, ResourceValidator validator,
                         VariablesCodec variables, LaunchService launches, SecretBox secrets, Clock clock,
                         CancelService cancels, Memberships memberships) {

    public static final String API = "/api/v2/";

    public static String url(String endpoint, long id) {
        return API + endpoint + "/" + id + "/";
    }
}
