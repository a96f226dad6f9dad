package dev.towerless.local.bench;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.Emulators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./towerless bench cold-start}: each function's cold start as Lambda makes it. A fresh JVM
 * per run, started as Lambda's Java runtime starts one: the AWS Lambda runtime interface client
 * (the real one, {@code aws-lambda-java-runtime-interface-client}, copied to
 * {@code localstack/target/lambda-runtime/}) on the system classpath, the function's jar unpacked
 * as its task root (the working directory, which the client loads the handler from, and
 * {@code LAMBDA_TASK_ROOT}), the stack's
 * {@code JAVA_TOOL_OPTIONS}, and {@code AWS_LAMBDA_RUNTIME_API} pointing at a
 * {@link FakeLambdaRuntimeApi} in this JVM, against the embedded stack's emulators. Init is from the
 * process start to the runtime's first {@code invocation/next} (Lambda's Init Duration); an
 * event's time is from {@code next} handing it out to its {@code response} arriving. With
 * priming, the runtime runs as under SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}):
 * it calls the CRaC {@code beforeCheckpoint} hooks (the priming) where Lambda would take the
 * snapshot, asks {@code restore/next}, runs {@code afterRestore} and only then takes events; init
 * is then until {@code restore/next}, and "first event, primed" is the first response after the
 * restore, less the restore itself, which only Lambda can measure.
 */
final class ColdStartBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    /** What the stack sets on every function (infra-cdk FunctionsLayer). */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private ColdStartBenchmark() {
    }

    private record Function(String name, String handler, String event) {
    }

    /** The events as Lambda's event sources send them. */
    private static final List<Function> FUNCTIONS = List.of(
            new Function("Api (GET /api/v2/ping/)", "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction",
                    "{\"resource\":\"/{proxy+}\",\"path\":\"/api/v2/ping/\",\"httpMethod\":\"GET\","
                            + "\"headers\":{\"Accept\":\"application/json\",\"Host\":\"api.example.com\"},"
                            + "\"multiValueHeaders\":{\"Accept\":[\"application/json\"]},\"queryStringParameters\":null,"
                            + "\"pathParameters\":{\"proxy\":\"api/v2/ping/\"},\"stageVariables\":null,"
                            + "\"requestContext\":{\"resourcePath\":\"/{proxy+}\",\"httpMethod\":\"GET\",\"stage\":\"prod\","
                            + "\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"identity\":{\"sourceIp\":\"203.0.113.7\"}},"
                            + "\"body\":null,\"isBase64Encoded\":false}"),
            new Function("TaskManager (a tick on the wake queue)", "dev.towerless.handlers.WakeQueueHandler",
                    "{\"Records\":[{\"messageId\":\"059f36b4-87a3-44ab-83d2-661975830a7d\",\"receiptHandle\":\"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a\","
                            + "\"body\":\"{\\\"reason\\\":\\\"tick\\\"}\",\"attributes\":{\"ApproximateReceiveCount\":\"1\","
                            + "\"SentTimestamp\":\"1545082649183\"},\"messageAttributes\":{},\"md5OfBody\":\"e4e68fb7bd0e697a0ae8f1bb342846b3\","
                            + "\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\"arn:aws:sqs:eu-west-1:123456789012:towerless-wake\","
                            + "\"awsRegion\":\"eu-west-1\"}]}"),
            new Function("Reaper (its tick)", "dev.towerless.handlers.ReaperTickHandler", scheduled()),
            new Function("Scheduler (its tick)", "dev.towerless.handlers.SchedulerTickHandler", scheduled()));

    private static String scheduled() {
        return "{\"version\":\"0\",\"id\":\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\"2026-12-01T12:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[\"arn:aws:events:eu-west-1:123456789012:rule/towerless-tick\"],"
                + "\"detail\":{}}";
    }

    /** A jar to measure: the one the stack deploys, and the one it was before the slimming. */
    private record Variant(String label, Path jar, Path taskRoot, boolean primedToo) {
    }

    static String run(EmbeddedStack stack) throws Exception {
        List<Path> taskRoots = new ArrayList<>();
        try {
            return measure(stack, taskRoots);
        } finally {
            for (Path dir : taskRoots) { // 130–170 MB each, unpacked
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static String measure(EmbeddedStack stack, List<Path> taskRoots) throws Exception {
        Path root = Path.of(System.getProperty("towerless.root", "."));
        Path slim = root.resolve("functions/app/target/towerless-functions.jar").toAbsolutePath();
        Path unslimmed = root.resolve("functions/app/target/towerless-functions-unslimmed.jar").toAbsolutePath();
        String runtime = runtimeClasspath(root.resolve("localstack/target/lambda-runtime"));
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("slim", slim, unpack(slim), true));
        taskRoots.add(variants.get(0).taskRoot());
        if (Files.exists(unslimmed)) {
            variants.add(new Variant("before slimming", unslimmed, unpack(unslimmed), false));
            taskRoots.add(variants.get(1).taskRoot());
        }
        Map<String, String> env = environment(stack.context().getBean(TowerlessConfig.class));
        StringBuilder out = new StringBuilder();
        out.append("## Cold start (").append(BenchmarkReport.today()).append(")\n\n")
                .append("`./towerless bench cold-start`: a fresh JVM per run, started as Lambda's Java runtime starts one: the ")
                .append("real AWS Lambda runtime interface client (").append(ricVersion(root.resolve("localstack/target/lambda-runtime")))
                .append(") on the classpath, the function's jar unpacked as its task root, `JAVA_TOOL_OPTIONS=").append(JAVA_TOOL_OPTIONS)
                .append("` as the stack sets it, and `AWS_LAMBDA_RUNTIME_API` pointing at a fake Runtime API that hands out the ")
                .append("events (API Gateway's, SQS's and EventBridge's shapes) and records the answers; the functions' AWS calls go ")
                .append("to the embedded stack's emulators. Init is from the process start to the runtime's first `invocation/next` ")
                .append("(Lambda's Init Duration); an event is from `next` handing it out to its `response`. Primed: the runtime ")
                .append("runs as under SnapStart, calling the CRaC `beforeCheckpoint` hooks (the priming) where Lambda takes the ")
                .append("snapshot, so init runs to `restore/next`, and the first event is the first response after the restore, ")
                .append("less the restore itself (only Lambda can measure that). Median of ").append(RUNS).append(" runs, on this ")
                .append(Runtime.getRuntime().availableProcessors()).append("-core machine shared with other builds (load average ")
                .append(BenchmarkReport.loadAverage()).append(" at the start; Lambda at 1,536 MB has about one vCPU), Java ")
                .append(System.getProperty("java.specification.version")).append(" here (the stack runs Java 21).\n\n")
                .append("Jars: ");
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            out.append(i == 0 ? "" : ", ").append(v.label()).append(" ").append(String.format(java.util.Locale.ROOT, "%.1f MB",
                    Files.size(v.jar()) / 1e6));
        }
        out.append(variants.size() == 1 ? " (the unslimmed jar was not built: `./towerless bench cold-start` builds it with "
                + "`-P unslimmed-jar`)" : " (`-P unslimmed-jar` puts back the Netty HTTP server and the SDK's Apache, Apache 5 "
                + "and Netty clients that the slimming removed; built for this benchmark only)").append(".\n\n")
                .append("| function | jar | init | first event | second event | init, primed | first event, primed |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Function f : FUNCTIONS) {
            // The runs of every jar and mode interleaved, so that a busy minute on this machine spreads over all of them.
            Map<String, List<long[]>> runs = new LinkedHashMap<>();
            for (int i = 0; i < RUNS; i++) {
                for (Variant v : variants) {
                    runs.computeIfAbsent(v.label(), k -> new ArrayList<>()).add(once(f, v, runtime, env, false));
                    if (v.primedToo()) {
                        runs.computeIfAbsent(v.label() + " primed", k -> new ArrayList<>()).add(once(f, v, runtime, env, true));
                    }
                }
            }
            for (Variant v : variants) {
                long[] plain = median(runs.get(v.label()));
                out.append("| ").append(f.name()).append(" | ").append(v.label()).append(" | ").append(plain[0]).append(" ms | ")
                        .append(plain[1]).append(" ms | ").append(plain[2]).append(" ms | ");
                if (v.primedToo()) {
                    long[] primed = median(runs.get(v.label() + " primed"));
                    out.append(primed[0]).append(" ms | ").append(primed[1]).append(" ms |\n");
                } else {
                    out.append("– | – |\n");
                }
            }
        }
        out.append("\n");
        System.out.println(out);
        return out.toString();
    }

    private static long[] median(List<long[]> runs) {
        long[] m = new long[3];
        for (int k = 0; k < 3; k++) {
            int col = k;
            m[k] = runs.stream().mapToLong(r -> r[col]).sorted().toArray()[runs.size() / 2];
        }
        return m;
    }

    /** One cold start through the Runtime API: init, first event, second event, in milliseconds. */
    private static long[] once(Function f, Variant v, String runtime, Map<String, String> env, boolean prime) throws Exception {
        try (FakeLambdaRuntimeApi api = new FakeLambdaRuntimeApi("towerless-bench", List.of(f.event(), f.event()))) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Lambda's runtime names its CRaC implementation so that org.crac finds it.
                    "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                    "-cp", runtime, RIC_MAIN, f.handler()));
            // The client loads the handler from its working directory, which Lambda makes the task root.
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(v.taskRoot().toFile()).redirectErrorStream(true);
            Path log = Files.createTempFile("towerless-cold-start-", ".log");
            pb.redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("LAMBDA_TASK_ROOT", v.taskRoot().toString());
            pb.environment().put("_HANDLER", f.handler());
            pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", prime ? "snap-start" : "on-demand");
            pb.environment().put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
            long spawned = System.nanoTime();
            Process p = pb.start();
            try {
                api.await("response", 2, 180_000);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(f.name() + " (" + v.label() + (prime ? ", primed" : "") + "): " + e.getMessage()
                        + "\n" + tail(log), e);
            } finally {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // a frozen sandbox, reclaimed
            }
            Files.deleteIfExists(log);
            List<FakeLambdaRuntimeApi.Call> calls = api.calls();
            calls.stream().filter(c -> c.what().equals("response")).forEach(c -> {
                // An answer is what the event source would get: the API's must be a 200, not an error page.
                if (c.body().contains("\"errorMessage\"") || (f.handler().contains("ApiGateway") && !c.body().contains("\"statusCode\":200"))) {
                    throw new IllegalStateException(f.name() + " answered " + c.body());
                }
            });
            long initEnd = calls.stream().filter(c -> c.what().equals(prime ? "restore" : "next")).findFirst().orElseThrow().atNanos();
            List<Long> handedOut = calls.stream().filter(c -> c.what().equals("event")).map(FakeLambdaRuntimeApi.Call::atNanos).toList();
            List<Long> answered = calls.stream().filter(c -> c.what().equals("response")).map(FakeLambdaRuntimeApi.Call::atNanos).toList();
            return new long[]{(initEnd - spawned) / 1_000_000, (answered.get(0) - handedOut.get(0)) / 1_000_000,
                    (answered.get(1) - handedOut.get(1)) / 1_000_000};
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The runtime interface client and what it needs, as Lambda's runtime has them in /var/runtime/lib. */
    static String runtimeClasspath(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: build localstack (mvn package) to copy the Lambda runtime client");
        }
        try (var jars = Files.list(dir)) {
            return jars.filter(j -> j.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
    }

    private static String ricVersion(Path dir) throws IOException {
        try (var jars = Files.list(dir)) {
            return jars.map(j -> j.getFileName().toString()).filter(n -> n.startsWith("aws-lambda-java-runtime-interface-client"))
                    .map(n -> n.replace(".jar", "")).findFirst().orElse("?");
        }
    }

    /** The jar unpacked into a directory, as Lambda unpacks a deployment package into /var/task. */
    static Path unpack(Path jar) throws IOException {
        Path dir = Files.createTempDirectory("towerless-task-root-");
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    /** The function's environment as the stack sets it, pointed at the emulators. */
    static Map<String, String> environment(TowerlessConfig c) {
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
        // Lambda's own variables, as its Java runtime sees them (the stack asks for JSON logs).
        env.put("AWS_LAMBDA_FUNCTION_NAME", "towerless-bench");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1536");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/towerless-bench");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[1]bench");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("MICRONAUT_SERVER_PORT", "-1");
        return env;
    }
}
