package dev.towerless.core.inventory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The message that asks for one inventory's computed fields to be recomputed. */
public record InventoryChanged(long inventoryId) {
    public static final String REASON = "inventory_changed";
    private static final Pattern BODY = Pattern.compile(
            "\\{\\s*\"reason\"\\s*:\\s*\"" + REASON + "\"\\s*,\\s*\"inventory_id\"\\s*:\\s*(\\d{1,18})\\s*}");

    public String body() {
        return "{\"reason\":\"" + REASON + "\",\"inventory_id\":" + inventoryId + "}";
    }

    /** Empty when the body is not such a message. */
    public static Optional<InventoryChanged> parse(String body) {
        Matcher m = BODY.matcher(body == null ? "" : body.strip());
        return m.matches() ? Optional.of(new InventoryChanged(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
