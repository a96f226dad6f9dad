package dev.towerless.core.background;

import dev.towerless.core.resources.VariablesCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of the resource-tasks queue: work on stored objects that AWX runs in its
 * dispatcher after the request has answered (delete_inventory, the deep copy's sub-objects, the
 * job history of deleted objects). Each names only ids, so a redelivery redoes the same work.
 */
public record ResourceTask(Kind kind, long from, long to, String type, List<Ref> objects, long user) {

    public enum Kind {
        /** AWX's delete_inventory: an inventory marked pending_deletion, with everything in it. */
        DELETE_INVENTORY,
        /** Jobs keep their history, pointing at nothing where their objects went (AWX's SET_NULL on jobs). */
        UNLINK_JOBS,
        /** The sub-objects of a deep copy of {@code type} from {@code from} into {@code to}, made by {@code user}. */
        COPY,
        /** The nightly fail-safe: resume deletions and copies whose message never arrived. */
        SWEEP
    }

    /** One stored object: type and id. */
    public record Ref(String type, long id) {
    }

    public static ResourceTask deleteInventory(long inventory, long user) {
        return new ResourceTask(Kind.DELETE_INVENTORY, inventory, 0, "inventory", List.of(), user);
    }

    public static ResourceTask unlinkJobs(List<Ref> objects) {
        return new ResourceTask(Kind.UNLINK_JOBS, 0, 0, "", List.copyOf(objects), 0);
    }

    public static ResourceTask copy(String type, long from, long to, long user) {
        return new ResourceTask(Kind.COPY, from, to, type, List.of(), user);
    }

    public String toJson(VariablesCodec codec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", kind.name().toLowerCase(java.util.Locale.ROOT));
        m.put("type", type);
        m.put("from", from);
        m.put("to", to);
        m.put("user", user);
        m.put("objects", objects.stream().map(r -> Map.of("type", r.type(), "id", r.id())).toList());
        return codec.toJson(m);
    }

    /**
     * The task a message body names. The housekeeping topic's nightly message (which names no
     * task) is a {@link Kind#SWEEP}; anything else unreadable is refused.
     */
    public static ResourceTask parse(String body, VariablesCodec codec) {
        Map<String, Object> m = codec.parse(body);
        Object task = m.get("task");
        if (task == null && m.containsKey("reason")) {
            return new ResourceTask(Kind.SWEEP, 0, 0, "", List.of(), 0);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(String.valueOf(task).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a resource task: " + body);
        }
        List<Ref> objects = new ArrayList<>();
        if (m.get("objects") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> r) {
                    objects.add(new Ref(String.valueOf(r.get("type")), number(r.get("id"))));
                }
            }
        }
        return new ResourceTask(kind, number(m.get("from")), number(m.get("to")), String.valueOf(m.getOrDefault("type", "")),
                List.copyOf(objects), number(m.get("user")));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
