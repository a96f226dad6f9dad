package dev.towerless.api.inventories;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ApiException;
import dev.towerless.core.access.Access;
import dev.towerless.core.access.AccessPolicies;
import dev.towerless.core.inventory.SmartFilter;
import dev.towerless.core.inventory.SmartInventories;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.ValidationException;
import io.micronaut.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the inventory controllers do differently for a smart inventory (AWX's InventorySerializer,
 * InventoryDetail and the Host/Group/InventorySource serializers' {@code validate_inventory}),
 * kept here so that the controllers call it in a line.
 */
final class SmartInventoryViews {
    private SmartInventoryViews() {
    }

    static SmartInventories memberships(ApiContext ctx) {
        return new SmartInventories(ctx.resources());
    }

    /**
     * AWX's {@code validate_host_filter} and {@code validate}: a smart inventory needs a filter,
     * a filter must read, and it is stored URL-decoded (AWX's SmartFilterField unquotes it).
     * Returns the change to store ({@code host_filter} decoded, or null for an empty one).
     */
    static Map<String, Object> checkHostFilter(Map<String, Object> fields, Resource existing) {
        String kind = fields.containsKey("kind") ? String.valueOf(fields.get("kind"))
                : existing == null ? "" : existing.string("kind").orElse("");
        Object raw = fields.containsKey("host_filter") ? fields.get("host_filter") : existing == null ? null : existing.get("host_filter");
        String filter = raw == null ? "" : raw.toString();
        if (!filter.isEmpty()) {
            SmartFilter.problem(filter).ifPresent(p -> {
                throw ValidationException.of("host_filter", p);
            });
        }
        if (SmartInventories.KIND.equals(kind) && filter.isEmpty()) {
            throw ValidationException.of("host_filter", "Smart inventories must specify host_filter");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (fields.containsKey("host_filter")) {
            out.put("host_filter", filter.isEmpty() ? null : unquote(filter));
        }
        return out;
    }

    /**
     * AWX's InventoryDetail.update: a 405 when the kind would change, before anything is stored
     * (AWX reads an empty kind as none given, so only a named kind is compared).
     */
    static void refuseKindChange(Resource existing, Map<String, Object> input) {
        Object kind = input.get("kind");
        if (kind != null && !kind.toString().isEmpty() && !kind.equals(existing.string("kind").orElse(""))) {
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED,
                    Map.of("error", "You cannot turn a regular inventory into a \"smart\" inventory."));
        }
    }

    /** AWX: hosts, groups and inventory sources cannot be created in a smart inventory (its hosts are the filter's). */
    static void refuseContent(ApiContext ctx, Object inventoryId, String noun) {
        if (inventoryId instanceof Number n && ctx.resources().get(ResourceTypes.INVENTORY, n.longValue())
                .filter(SmartInventories::isSmart).isPresent()) {
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    Map.of("inventory", Map.of("detail", "Cannot create " + noun + " for Smart Inventory")));
        }
    }

    /** The hosts a smart inventory lists, as its readers may see them (the policy decides). */
    static List<Resource> visibleHosts(ApiContext ctx, Access access, Resource smartInventory) {
        return memberships(ctx).hosts(smartInventory).stream()
                .filter(h -> AccessPolicies.HOSTS.canSeeInSmartInventory(access, h, smartInventory)).toList();
    }

    /** AWX's computed fields of a smart inventory: its members, and never a group or a source of its own. */
    static void computedFields(Resource inventory, Map<String, Object> out) {
        if (SmartInventories.isSmart(inventory)) {
            out.put("total_hosts", SmartInventories.members(inventory).size());
            out.put("total_groups", 0);
            out.put("total_inventory_sources", 0);
            out.put("has_inventory_sources", false);
            out.put("inventory_sources_with_failures", 0);
        }
    }

    /** The membership is rebuilt whenever a smart inventory is saved (AWX recounts it on every save). */
    static void saved(ApiContext ctx, Resource inventory) {
        if (SmartInventories.isSmart(inventory)) {
            memberships(ctx).rebuild(inventory);
        }
    }

    /** The smart inventories a host is in, those the caller may see (AWX's sub-list of visible inventories). */
    static List<Resource> smartInventoriesOf(ApiContext ctx, Resource host) {
        return memberships(ctx).smartInventoriesOf(host);
    }

    /** Python's {@code urllib.parse.unquote}: %XX sequences decoded as UTF-8, '+' left alone. */
    static String unquote(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
