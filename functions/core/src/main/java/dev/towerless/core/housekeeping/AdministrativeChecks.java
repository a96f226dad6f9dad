package dev.towerless.core.housekeeping;

import dev.towerless.core.organizations.HostLimit;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seed's administrative checks, as AWX's licence check warns about a host count near the
 * subscription's: each organization's hosts against its {@code max_hosts}, with an alert for every
 * organization at 90 % or more. The run's output is the record of the check; the alerts travel on
 * the system job ({@link #ALERTS}) to the notification consumer, which alone may open notification
 * templates' secrets.
 */
public final class AdministrativeChecks {
    /** The share of max_hosts at which an organization is alerted about. */
    public static final double ALERT_AT = 0.9;
    /** The system job field holding the alerts the check raised. */
    public static final String ALERTS = "host_limit_alerts";

    private final ResourceStore resources;

    public AdministrativeChecks(ResourceStore resources) {
        this.resources = resources;
    }

    /** An organization's host count the check alerts about. */
    public record Alert(long organization, String name, long maxHosts, long activeHosts) {
        public String message() {
            return String.format("Organization \"%s\" has %d hosts: %d %% of its max_hosts (%d). No host beyond %d can be added.",
                    name, activeHosts, Math.round(100.0 * activeHosts / maxHosts), maxHosts, maxHosts);
        }

        public Map<String, Object> toMap() {
            return Map.of("organization", organization, "name", name, "max_hosts", maxHosts, "active_hosts", activeHosts);
        }

        public static Alert of(Map<?, ?> m) {
            return new Alert(((Number) m.get("organization")).longValue(), String.valueOf(m.get("name")),
                    ((Number) m.get("max_hosts")).longValue(), ((Number) m.get("active_hosts")).longValue());
        }
    }

    public static boolean alerting(HostLimit.Usage u) {
        return u.limited() && u.activeHosts() >= Math.ceil(ALERT_AT * u.maxHosts());
    }

    /** Checks every organization, writing one line each to {@code log}; returns the alerts. */
    public List<Alert> hostLimits(Consumer<String> log) {
        List<Alert> alerts = new ArrayList<>();
        List<Resource> organizations = resources.all(ResourceTypes.ORGANIZATION);
        for (Resource org : organizations) {
            HostLimit.Usage u = HostLimit.usage(resources, org);
            if (!u.limited()) {
                log.accept(String.format("Organization \"%s\" (%d): %d hosts, max_hosts 0 (unlimited)", u.name(), u.organization(),
                        u.activeHosts()));
            } else if (alerting(u)) {
                Alert a = new Alert(u.organization(), u.name(), u.maxHosts(), u.activeHosts());
                alerts.add(a);
                log.accept(String.format("Organization \"%s\" (%d): %d of max_hosts %d: ALERT (%d %% or more); sent to its error"
                        + " notification templates and this job template's", u.name(), u.organization(), u.activeHosts(), u.maxHosts(),
                        Math.round(ALERT_AT * 100)));
            } else {
                log.accept(String.format("Organization \"%s\" (%d): %d of max_hosts %d: ok", u.name(), u.organization(), u.activeHosts(),
                        u.maxHosts()));
            }
        }
        log.accept("Checked host counts of " + organizations.size() + " organizations: " + alerts.size() + " at "
                + Math.round(ALERT_AT * 100) + " % of max_hosts or more");
        return alerts;
    }

    /** The alerts as the job stores them. */
    public static List<Map<String, Object>> stored(List<Alert> alerts) {
        return alerts.stream().map(a -> (Map<String, Object>) new LinkedHashMap<>(a.toMap())).toList();
    }
}
