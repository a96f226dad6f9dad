package dev.towerless.local.bench;

import dev.towerless.aws.config.TowerlessConfig;
import dev.towerless.local.EmbeddedStack;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API function as Lambda runs it in 512 MB, against the stack's history: a fresh JVM with
 * {@code -Xmx512m} running the API handler through the real runtime interface client (the
 * {@link ColdStartBenchmark} machinery: the slim jar unpacked as the task root, a
 * {@link FakeLambdaRuntimeApi} handing out API Gateway proxy events), one event per list, each
 * list twice (the first pass is cold: classes loaded and code compiled on the way). Reports each
 * list's status and time, the child's peak resident set ({@code VmHWM}) and the most heap it had
 * in use at any collection (its GC log).
 */
final class LambdaListRun {
    private static final String HANDLER = "io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction";
    private static final Pattern STATUS = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)");
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private LambdaListRun() {
    }

    /** {@code requests}: label → path under /api/v2/ with its query. */
    static String run(EmbeddedStack stack, Map<String, String> requests, int jobs) throws Exception {
        Path root = Path.of(System.getProperty("towerless.root", "."));
        Path jar = root.resolve("functions/app/target/towerless-functions.jar").toAbsolutePath();
        String runtime = ColdStartBenchmark.runtimeClasspath(root.resolve("localstack/target/lambda-runtime"));
        Path taskRoot = ColdStartBenchmark.unpack(jar);
        Path gcLog = Files.createTempFile("towerless-lambda-gc-", ".log");
        Path log = Files.createTempFile("towerless-lambda-", ".log");
        List<String> labels = new ArrayList<>(requests.keySet());
        List<String> events = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            requests.values().forEach(p -> events.add(event(p, stack.adminToken())));
        }
        Map<String, String> env = ColdStartBenchmark.environment(stack.context().getBean(TowerlessConfig.class));
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        long peakRssKb;
        List<FakeLambdaRuntimeApi.Call> calls;
        try (FakeLambdaRuntimeApi api = new FakeLambdaRuntimeApi("towerless-api", events)) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Xlog:gc:file=" + gcLog, "-cp", runtime, ColdStartBenchmark.RIC_MAIN, HANDLER);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(taskRoot.toFile()).redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
            pb.environment().put("_HANDLER", HANDLER);
            pb.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            pb.environment().put("JAVA_TOOL_OPTIONS", ColdStartBenchmark.JAVA_TOOL_OPTIONS);
            Process p = pb.start();
            try {
                api.await("response", events.size(), 600_000);
                peakRssKb = vmHwmKb(p.pid());
            } catch (IllegalStateException e) {
                throw new IllegalStateException("the API function in 512 MB: " + e.getMessage() + "\n"
                        + ColdStartBenchmark.tail(log), e);
            } finally {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            calls = api.calls();
        } finally {
            try (var files = Files.walk(taskRoot)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        String output = Files.readString(log);
        long peakHeapMb = 0;
        long committedMb = 0;
        Matcher m = GC.matcher(Files.readString(gcLog));
        while (m.find()) {
            peakHeapMb = Math.max(peakHeapMb, Long.parseLong(m.group(1)));
            committedMb = Math.max(committedMb, Long.parseLong(m.group(3)));
        }
        Files.deleteIfExists(gcLog);
        Files.deleteIfExists(log);
        Map<String, Long> handedOut = new LinkedHashMap<>();
        calls.stream().filter(c -> c.what().equals("event")).forEach(c -> handedOut.put(c.requestId(), c.atNanos()));
        List<String> ids = new ArrayList<>(handedOut.keySet());
        Map<String, FakeLambdaRuntimeApi.Call> answers = new LinkedHashMap<>();
        calls.stream().filter(c -> c.what().equals("response")).forEach(c -> answers.put(c.requestId(), c));
        StringBuilder out = new StringBuilder("## The API function in 512 MB (" + String.format(Locale.ROOT, "%,d", jobs)
                + " jobs, " + BenchmarkReport.today() + ")\n\n"
                + "`./towerless bench api` (its last part): the API function's handler in a fresh JVM with `-Xmx512m` "
                + "(`AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512`), run by the real Lambda runtime interface client as in \"Cold start\", "
                + "answering API Gateway proxy events for every list above against the same dynalite holding "
                + String.format(Locale.ROOT, "%,d", jobs) + " jobs; each list twice, in order (the first pass is cold). "
                + "Time: from the runtime handing out the event to its response. Load average " + BenchmarkReport.loadAverage()
                + " at the end.\n\n| request | status | first (cold) | second |\n|---|---|---|---|\n");
        boolean bad = output.contains("OutOfMemoryError");
        for (int i = 0; i < labels.size(); i++) {
            String first = ids.get(i);
            String second = ids.get(i + labels.size());
            int s1 = status(answers.get(first));
            int s2 = status(answers.get(second));
            bad |= s1 != 200 || s2 != 200;
            out.append("| ").append(labels.get(i)).append(" | ").append(s1 == s2 ? Integer.toString(s1) : s1 + " / " + s2).append(" | ")
                    .append(ms(answers.get(first).atNanos() - handedOut.get(first))).append(" | ")
                    .append(ms(answers.get(second).atNanos() - handedOut.get(second))).append(" |\n");
        }
        out.append(String.format(Locale.ROOT, "%nPeak resident set of the function's JVM: %d MB; most heap in use at a collection: "
                + "%d MB (heap committed at most %d MB, limit 512 MB)%s.%n%n", peakRssKb / 1024, peakHeapMb, committedMb,
                output.contains("OutOfMemoryError") ? "; **an OutOfMemoryError was logged**" : "; no OutOfMemoryError"));
        if (bad) {
            System.err.println(out);
            System.err.println(output.length() > 20_000 ? output.substring(output.length() - 20_000) : output);
        }
        return out.toString();
    }

    private static int status(FakeLambdaRuntimeApi.Call response) {
        Matcher m = STATUS.matcher(response.body());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** The process's peak resident set in kB (Linux /proc), 0 where there is none. */
    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    /** An API Gateway (REST, payload 1.0) proxy event for GET /api/v2/{path}. */
    private static String event(String pathAndQuery, String token) {
        int q = pathAndQuery.indexOf('?');
        String path = "/api/v2/" + (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        StringBuilder single = new StringBuilder("{");
        StringBuilder multi = new StringBuilder("{");
        params.forEach((k, vs) -> {
            if (single.length() > 1) {
                single.append(',');
                multi.append(',');
            }
            single.append(json(k)).append(':').append(json(vs.get(vs.size() - 1)));
            multi.append(json(k)).append(":[");
            for (int i = 0; i < vs.size(); i++) {
                multi.append(i == 0 ? "" : ",").append(json(vs.get(i)));
            }
            multi.append(']');
        });
        single.append('}');
        multi.append('}');
        String auth = json("Bearer " + token);
        return "{\"resource\":\"/{proxy+}\",\"path\":" + json(path) + ",\"httpMethod\":\"GET\","
                + "\"headers\":{\"Accept\":\"application/json\",\"Host\":\"api.example.com\",\"Authorization\":" + auth + "},"
                + "\"multiValueHeaders\":{\"Accept\":[\"application/json\"],\"Host\":[\"api.example.com\"],\"Authorization\":[" + auth + "]},"
                + "\"queryStringParameters\":" + (params.isEmpty() ? "null" : single) + ","
                + "\"multiValueQueryStringParameters\":" + (params.isEmpty() ? "null" : multi) + ","
                + "\"pathParameters\":{\"proxy\":" + json(path.substring(1)) + "},\"stageVariables\":null,"
                + "\"requestContext\":{\"resourcePath\":\"/{proxy+}\",\"httpMethod\":\"GET\",\"stage\":\"prod\","
                + "\"path\":" + json("/prod" + path) + ","
                + "\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"identity\":{\"sourceIp\":\"203.0.113.7\"}},"
                + "\"body\":null,\"isBase64Encoded\":false}";
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
