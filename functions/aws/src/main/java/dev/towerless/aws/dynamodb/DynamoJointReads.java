package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.ports.JointReads;
import dev.towerless.core.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Objects of the resources table, jobs of the jobs table and templates' newest-job pointers of the
 * sequences table in one BatchGetItem (it spans tables):
 * 100 keys a call in all, consistent, what DynamoDB leaves unprocessed asked again.
 */
public final class DynamoJointReads implements JointReads {
    private final DynamoDbClient client;
    private final String resources;
    private final String jobs;
    private final String sequences;

    public DynamoJointReads(DynamoDbClient client, String prefix) {
        this.client = client;
        this.resources = Tables.RESOURCES.physicalName(prefix);
        this.jobs = Tables.JOBS.physicalName(prefix);
        this.sequences = Tables.SEQUENCES.physicalName(prefix);
    }

    @Override
    public Found read(Map<String, ? extends Collection<Long>> wanted, Collection<Long> jobIds, Collection<Long> templates) {
        // each key once, tagged with its table, so that the 100-key calls may mix the two
        List<Map.Entry<String, Map<String, AttributeValue>>> keys = new ArrayList<>();
        wanted.forEach((type, ids) -> ids.stream().distinct()
                .forEach(id -> keys.add(Map.entry(resources, DynamoResourceStore.key(type, id)))));
        jobIds.stream().distinct().forEach(id -> keys.add(Map.entry(jobs, Map.of("id", AttributeValues.n(id)))));
        // the templates' newest-job pointers (DynamoJobStore.newestOfTemplates): the sequences table
        Map<String, Long> templateOf = new HashMap<>();
        templates.stream().distinct().forEach(t -> {
            templateOf.put(DynamoJobStore.newestName(t), t);
            keys.add(Map.entry(sequences, Map.of("name", AttributeValues.s(DynamoJobStore.newestName(t)))));
        });
        Map<String, Map<Long, Resource>> foundResources = new HashMap<>();
        Map<Long, UnifiedJob> foundJobs = new HashMap<>();
        Map<Long, Long> foundNewest = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BatchReads.KEYS_PER_CALL) {
            Map<String, List<Map<String, AttributeValue>>> byTable = new LinkedHashMap<>();
            keys.subList(from, Math.min(keys.size(), from + BatchReads.KEYS_PER_CALL))
                    .forEach(k -> byTable.computeIfAbsent(k.getKey(), t -> new ArrayList<>()).add(k.getValue()));
            Map<String, KeysAndAttributes> request = new LinkedHashMap<>();
            byTable.forEach((table, tableKeys) -> request.put(table, KeysAndAttributes.builder().keys(tableKeys).consistentRead(true).build()));
            BatchReads.readAll(client, request, (table, item) -> {
                if (table.equals(resources)) {
                    Resource r = DynamoResourceStore.toResource(item);
                    foundResources.computeIfAbsent(r.type(), t -> new HashMap<>()).put(r.id(), r);
                } else if (table.equals(sequences)) {
                    Long t = templateOf.get(item.get("name").s());
                    if (t != null && item.containsKey("value") && item.get("value").n() != null) {
                        foundNewest.put(t, Long.parseLong(item.get("value").n()));
                    }
                } else {
                    UnifiedJob j = DynamoJobStore.toJob(item);
                    foundJobs.put(j.id(), j);
                }
            });
        }
        return new Found(foundResources, foundJobs, foundNewest);
    }
}
