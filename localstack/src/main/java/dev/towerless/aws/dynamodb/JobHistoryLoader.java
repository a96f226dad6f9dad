package dev.towerless.aws.dynamodb;

import dev.towerless.aws.definitions.Tables;
import dev.towerless.core.jobs.UnifiedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Benchmarks only: grows a job history fast. Finished jobs written 25 a BatchWriteItem, each item
 * encoded exactly as {@link DynamoJobStore#insert} encodes it, index keys included (the reason this
 * sits in the store's package: the same {@link DynamoJobStore#itemOf}), with its
 * {@code job_filters} entries ({@link DynamoJobStore#filterEntries}), then the counters set once from the table by
 * {@link DynamoJobStore#repairCounts()}, as the housekeeping repair does. One conditional put and
 * three counter updates per job (what the API's insert costs) would take most of an hour at
 * 100,000 jobs on dynalite; this takes minutes. Not for active jobs (no active shard is written)
 * and not for a table the API is writing to meanwhile.
 */
public final class JobHistoryLoader {
    private JobHistoryLoader() {
    }

    public static void load(DynamoDbClient client, String prefix, List<UnifiedJob> jobs, int threads) throws Exception {
        DynamoTable table = new DynamoTable(client, Tables.JOBS, prefix);
        DynamoTable filters = new DynamoTable(client, Tables.JOB_FILTERS, prefix);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i += BatchWrites.BATCH) {
                List<UnifiedJob> batch = jobs.subList(i, Math.min(jobs.size(), i + BatchWrites.BATCH));
                writes.add(pool.submit(() -> {
                    List<WriteRequest> puts = new ArrayList<>();
                    for (UnifiedJob j : batch) {
                        if (j.status().isActive()) {
                            throw new IllegalArgumentException("job " + j.id() + " is active: insert it through the store");
                        }
                        puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(DynamoJobStore.itemOf(table, j)).build()).build());
                    }
                    BatchWrites.writeBatch(table, puts, "bench jobs");
                    BatchWrites.writeAll(filters, DynamoJobStore.filterEntries(batch), "bench job filter entries");
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        new DynamoJobStore(client, prefix).repairCounts();
    }
}
