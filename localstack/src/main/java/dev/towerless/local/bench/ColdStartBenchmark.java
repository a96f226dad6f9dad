package dev.towerless.local.bench;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.Emulators;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./towerless bench cold-start}: each function's cold start as Lambda's Java runtime makes
 * it, in a fresh JVM per run with the Lambda jar alone on its classpath (plus {@link ColdStartProbe})
 * and Lambda's JVM flags, against the embedded stack's emulators: init (construct the handler),
 * then the first and a second event. Without priming, and with the SnapStart priming hook run at
 * the end of init, where the checkpoint would run it: with SnapStart the restored function starts
 * from that state, so "first event, primed" is the first response after a restore, less the
 * restore itself, which only Lambda can measure.
 */
final class ColdStartBenchmark {
    private static final int RUNS = 3;
    private static final String JAVA_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private ColdStartBenchmark() {
    }

    private record Function(String name, String handler, String eventClass, String event) {
    }

    private static final List<Function> FUNCTIONS = List.of(
            new Function("Api (GET /api/v2/ping/)", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                    "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent",
                    "{\"httpMethod\":\"GET\",\"path\":\"/api/v2/ping/\",\"resource\":\"/{proxy+}\","
                            + "\"headers\":{\"Accept\":\"application/json\"},\"requestContext\":{\"stage\":\"prod\"}}"),
            new Function("TaskManager (a tick on the wake queue)", "dev.towerless.handlers.WakeQueueHandler",
                    "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                    "{\"Records\":[{\"messageId\":\"m1\",\"body\":\"{\\\"reason\\\":\\\"tick\\\"}\"}]}"),
            new Function("Reaper (its tick)", "dev.towerless.handlers.ReaperTickHandler",
                    "com.amazonaws.services.lambda.runtime.events.ScheduledEvent",
                    "{\"detailType\":\"Scheduled Event\",\"source\":\"aws.events\"}"),
            new Function("Scheduler (its tick)", "dev.towerless.handlers.SchedulerTickHandler",
                    "com.amazonaws.services.lambda.runtime.events.ScheduledEvent",
                    "{\"detailType\":\"Scheduled Event\",\"source\":\"aws.events\"}"));

    static String run(EmbeddedStack stack) throws Exception {
        Path root = Path.of(System.getProperty("towerless.root", "."));
        Path jar = root.resolve("functions/app/target/towerless-functions.jar").toAbsolutePath();
        Path probe = copyProbe();
        Map<String, String> env = environment(stack.context().getBean(TowerlessConfig.class));
        StringBuilder out = new StringBuilder();
        out.append("## Cold start (").append(BenchmarkReport.today()).append(")\n\n")
                .append("`./towerless bench cold-start`: a fresh JVM per run (`").append(JAVA_OPTIONS)
                .append("`, as the stack sets for the functions) with the Lambda jar (")
                .append(String.format("%.1f MB", Files.size(jar) / 1e6)).append(") alone on its classpath, against the embedded ")
                .append("stack's emulators; median of ").append(RUNS).append(" runs, on this ").append(Runtime.getRuntime().availableProcessors())
                .append("-core build machine shared with other builds (Lambda at 1,536 MB has about one vCPU). Init is from the ")
                .append("JVM's start to the handler constructed; with priming it includes the SnapStart hook, which on Lambda runs ")
                .append("once, before the snapshot, so that a restored function answers its first event as \"first, primed\" ")
                .append("after the restore (not measurable here).\n\n")
                .append("| function | init | first event | second event | init, primed | first event, primed |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Function f : FUNCTIONS) {
            long[] plain = median(f, jar, probe, env, false);
            long[] primed = median(f, jar, probe, env, true);
            out.append("| ").append(f.name()).append(" | ").append(plain[0]).append(" ms | ").append(plain[1]).append(" ms | ")
                    .append(plain[2]).append(" ms | ").append(primed[0]).append(" ms | ").append(primed[1]).append(" ms |\n");
        }
        out.append("\nThe jar lost the Netty HTTP server and the SDK's Apache, Apache 5 and Netty clients (36.6 MB → 27.5 MB, "
                + "measured when they were removed); this table has no \"before slimming\" column: that jar is no longer built.\n\n");
        return out.toString();
    }

    private static long[] median(Function f, Path jar, Path probe, Map<String, String> env, boolean prime) throws Exception {
        List<long[]> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(once(f, jar, probe, env, prime));
        }
        long[] m = new long[3];
        for (int k = 0; k < 3; k++) {
            int col = k;
            m[k] = runs.stream().mapToLong(r -> r[col]).sorted().toArray()[RUNS / 2];
        }
        return m;
    }

    private static long[] once(Function f, Path jar, Path probe, Map<String, String> env, boolean prime) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(JAVA_OPTIONS.split(" ")));
        cmd.addAll(List.of("-cp", jar + java.io.File.pathSeparator + probe, ColdStartProbe.class.getName(),
                f.handler(), f.eventClass(), f.event(), Boolean.toString(prime)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !output.contains("COLD-START ")) {
            throw new IllegalStateException(f.name() + " did not start:\n" + output);
        }
        String[] parts = output.substring(output.lastIndexOf("COLD-START ")).trim().split("\\s+");
        return new long[]{Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    /** The function's environment as the stack sets it, pointed at the emulators. */
    private static Map<String, String> environment(TowerlessConfig c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TowerlessConfig.PREFIX, c.prefix());
        env.put(TowerlessConfig.WAKE_QUEUE_URL, c.wakeQueueUrl());
        env.put(TowerlessConfig.LIFECYCLE_TOPIC_ARN, c.lifecycleTopicArn());
        c.secretKey().ifPresent(k -> env.put(TowerlessConfig.SECRET_KEY, k));
        env.put("AWS_REGION", c.region());
        c.dynamodbEndpoint().ifPresent(u -> env.put("AWS_ENDPOINT_URL_DYNAMODB", u.toString()));
        c.sqsEndpoint().ifPresent(u -> env.put("AWS_ENDPOINT_URL_SQS", u.toString()));
        c.snsEndpoint().ifPresent(u -> env.put("AWS_ENDPOINT_URL_SNS", u.toString()));
        // No ECS here: a launch would fail fast (nothing is pending in the bench's stack anyway).
        env.put(TowerlessConfig.ECS_CLUSTER, "bench");
        env.put(TowerlessConfig.RUNNER_TASK_DEFINITION, "bench");
        env.put("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:9");
        env.put("AWS_ACCESS_KEY_ID", Emulators.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "towerless-bench");
        env.put("MICRONAUT_SERVER_PORT", "-1");
        return env;
    }

    /** ColdStartProbe's class file in a directory of its own, so the child sees no other local-stack class. */
    private static Path copyProbe() throws IOException {
        Path dir = Files.createTempDirectory("towerless-cold-start-");
        String name = ColdStartProbe.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = ColdStartProbe.class.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
        return dir;
    }
}
