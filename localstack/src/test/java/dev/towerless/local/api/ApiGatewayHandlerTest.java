package dev.towerless.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.local.LocalStackFixture;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API as API Gateway calls it on AWS: a payload 1.0 proxy event into the Lambda handler
 * Micronaut provides, the same controllers behind it, the response event out.
 */
class ApiGatewayHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiGatewayProxyRequestEventFunction function;
    private static String token;

    @BeforeAll
    static void start() {
        var stack = LocalStackFixture.stack();
        function = new ApiGatewayProxyRequestEventFunction(stack.context());
        token = stack.adminToken();
    }

    @Test
    void pingNeedsNoAuthenticationAndCarriesAwxProductHeaders() throws Exception {
        APIGatewayProxyResponseEvent r = call("GET", "/api/v2/ping/", null, null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(json(r)).containsKeys("version", "instances", "instance_groups");
        assertThat(header(r, "X-API-Product-Name")).isEqualTo("Towerless");
        assertThat(header(r, "X-API-Product-Version")).isNotBlank();
    }

    @Test
    void everythingElseIs401WithoutAValidToken() throws Exception {
        APIGatewayProxyResponseEvent none = call("GET", "/api/v2/organizations/", null, null);
        assertThat(none.getStatusCode()).isEqualTo(401);
        assertThat(json(none)).containsEntry("detail",
                "Authentication credentials were not provided. To establish a login session, visit /api/login/.");
        APIGatewayProxyResponseEvent bad = call("GET", "/api/v2/me/", null, "Bearer not-a-token");
        assertThat(bad.getStatusCode()).isEqualTo(401);
        APIGatewayProxyResponseEvent wrongPassword = call("GET", "/api/v2/me/", null, basic("admin", "nope"));
        assertThat(wrongPassword.getStatusCode()).isEqualTo(401);
    }

    @Test
    void aTokenFromUsernameAndPasswordWorksAsBearerAndCanBeRevoked() throws Exception {
        APIGatewayProxyResponseEvent created = call("POST", "/api/v2/tokens/", "{\"description\":\"ci\",\"scope\":\"write\"}",
                basic("admin", "password"));
        assertThat(created.getStatusCode()).isEqualTo(201);
        Map<String, Object> t = json(created);
        String bearer = "Bearer " + t.get("token");
        APIGatewayProxyResponseEvent me = call("GET", "/api/v2/me/", null, bearer);
        assertThat(me.getStatusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) json(me).get("results");
        assertThat(results).singleElement().satisfies(u -> {
            assertThat(u).containsEntry("username", "admin").doesNotContainKey("password");
        });
        assertThat(call("DELETE", "/api/v2/tokens/" + t.get("id") + "/", null, bearer).getStatusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v2/me/", null, bearer).getStatusCode()).isEqualTo(401);
    }

    @Test
    void badInputIs400NamingTheFieldAndLeavesNothingBehind() throws Exception {
        APIGatewayProxyResponseEvent missing = call("POST", "/api/v2/organizations/", "{}", bearer());
        assertThat(missing.getStatusCode()).isEqualTo(400);
        assertThat(json(missing)).containsEntry("name", List.of("This field is required."));

        APIGatewayProxyResponseEvent malformed = call("POST", "/api/v2/organizations/", "{\"name\": ", bearer());
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat((String) json(malformed).get("detail")).startsWith("JSON parse error");

        ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        int before = store.all(ResourceTypes.INVENTORY).size();
        APIGatewayProxyResponseEvent dangling = call("POST", "/api/v2/inventories/",
                "{\"name\":\"inv\",\"organization\":987654}", bearer());
        assertThat(dangling.getStatusCode()).isEqualTo(400);
        assertThat(json(dangling)).containsEntry("organization", List.of("Invalid pk \"987654\" - object does not exist."));
        APIGatewayProxyResponseEvent wrongType = call("POST", "/api/v2/job_templates/",
                "{\"name\":\"jt\",\"project\":\"abc\",\"playbook\":\"x.yml\",\"forks\":\"many\"}", bearer());
        assertThat(wrongType.getStatusCode()).isEqualTo(400);
        assertThat(json(wrongType)).containsEntry("forks", List.of("A valid integer is required."))
                .containsEntry("project", List.of("Incorrect type. Expected pk value, received str."));
        assertThat(store.all(ResourceTypes.INVENTORY)).hasSize(before);
    }

    @Test
    void unknownIdsAndPathsAre404AndWrongMethods405() throws Exception {
        assertThat(call("GET", "/api/v2/organizations/987654/", null, bearer()).getStatusCode()).isEqualTo(404);
        APIGatewayProxyResponseEvent notNumeric = call("GET", "/api/v2/organizations/abc/", null, bearer());
        assertThat(notNumeric.getStatusCode()).isEqualTo(404);
        assertThat(json(notNumeric)).containsEntry("detail", "Not found.");
        assertThat(call("GET", "/api/v2/jobs/987654/stdout/", null, bearer()).getStatusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v2/no_such_thing/", null, bearer()).getStatusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v2/ping/", null, bearer()).getStatusCode()).isEqualTo(405);
    }

    @Test
    void listsUseAwxsEnvelopeWithPagingAndFilters() throws Exception {
        String tag = "paging-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/api/v2/organizations/", "{\"name\":\"" + tag + "-" + i + "\"}", bearer())
                    .getStatusCode()).isEqualTo(201);
        }
        Map<String, Object> page = json(call("GET", "/api/v2/organizations/", Map.of("name__icontains", tag, "page_size", "2",
                "order_by", "-name"), bearer()));
        assertThat(page).containsEntry("count", 3).containsEntry("previous", null);
        assertThat((String) page.get("next")).contains("page=2");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) page.get("results");
        assertThat(results).extracting(o -> o.get("name")).containsExactly(tag + "-2", tag + "-1");
        assertThat(results.get(0)).containsKeys("id", "type", "url", "related", "summary_fields", "created", "modified")
                .containsEntry("type", "organization");
        Map<String, Object> byName = json(call("GET", "/api/v2/organizations/", Map.of("name", tag + "-1"), bearer()));
        assertThat(byName).containsEntry("count", 1);
    }

    @Test
    void credentialSecretsAreStoredSealedAndShownAsEncrypted() throws Exception {
        APIGatewayProxyResponseEvent r = call("POST", "/api/v2/credentials/",
                "{\"name\":\"m-" + System.nanoTime() + "\",\"credential_type\":1,\"user\":1,"
                        + "\"inputs\":{\"username\":\"deploy\",\"password\":\"Hunter2-Secret\"}}", bearer());
        assertThat(r.getStatusCode()).isEqualTo(201);
        Map<String, Object> cred = json(r);
        assertThat(r.getBody()).doesNotContain("Hunter2-Secret");
        assertThat(cred.get("inputs")).isEqualTo(Map.of("username", "deploy", "password", "$encrypted$"));
        long id = ((Number) cred.get("id")).longValue();
        ResourceStore store = LocalStackFixture.stack().context().getBean(ResourceStore.class);
        Resource stored = store.get(ResourceTypes.CREDENTIAL, id).orElseThrow();
        assertThat(stored.fields().toString()).doesNotContain("Hunter2-Secret");
        String sealedBefore = String.valueOf(((Map<?, ?>) stored.get("inputs")).get("password"));
        // Sending $encrypted$ back keeps the stored value, as AWX does.
        APIGatewayProxyResponseEvent patched = call("PATCH", "/api/v2/credentials/" + id + "/",
                "{\"inputs\":{\"username\":\"deploy2\",\"password\":\"$encrypted$\"}}", bearer());
        assertThat(patched.getStatusCode()).isEqualTo(200);
        Resource after = store.get(ResourceTypes.CREDENTIAL, id).orElseThrow();
        assertThat(((Map<?, ?>) after.get("inputs")).get("password")).isEqualTo(sealedBefore);
        assertThat(((Map<?, ?>) after.get("inputs")).get("username")).isEqualTo("deploy2");
        APIGatewayProxyResponseEvent unknownInput = call("POST", "/api/v2/credentials/",
                "{\"name\":\"x\",\"credential_type\":1,\"inputs\":{\"colour\":\"red\"}}", bearer());
        assertThat(unknownInput.getStatusCode()).isEqualTo(400);
        assertThat(json(unknownInput)).containsKey("inputs");
    }

    @Test
    void aStdoutDownloadComesWholeThroughTheHandler() {
        var ctx = LocalStackFixture.stack().context();
        long job = ctx.getBean(ResourceStore.class).nextId(dev.towerless.core.launch.LaunchService.JOB_SEQUENCE);
        java.time.Instant now = java.time.Instant.now();
        ctx.getBean(dev.towerless.core.ports.JobStore.class).insert(dev.towerless.core.jobs.UnifiedJob.newPending(job,
                dev.towerless.core.jobs.JobKind.JOB, "dl-" + job, dev.towerless.core.jobs.LaunchType.MANUAL, now, Map.of())
                .with(Map.of("status", "successful", "finished", dev.towerless.core.jobs.Timestamps.format(now))));
        List<dev.towerless.core.jobs.JobEvent> events = new java.util.ArrayList<>();
        StringBuilder want = new StringBuilder();
        for (int c = 1; c <= 1_500; c++) {
            events.add(new dev.towerless.core.jobs.JobEvent(job, c, "verbose", null, null, null, null, null, "line " + c,
                    0, 0, "2026-11-28T10:00:00.000000Z", false, false, Map.of()));
            want.append("line ").append(c).append('\n');
        }
        new dev.towerless.core.jobs.JobOutput.Writer(ctx.getBean(dev.towerless.core.ports.EventStore.class)).append(events);
        APIGatewayProxyResponseEvent r = call("GET", "/api/v2/jobs/" + job + "/stdout/", Map.of("format", "txt_download"), bearer());
        assertThat(r.getStatusCode()).isEqualTo(200);
        String body = Boolean.TRUE.equals(r.getIsBase64Encoded())
                ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8) : r.getBody();
        assertThat(body).isEqualTo(want.toString());
        assertThat(header(r, "Content-Disposition")).isEqualTo("attachment; filename=\"job_" + job + ".txt\"");
    }

    private static String bearer() {
        return "Bearer " + token;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static APIGatewayProxyResponseEvent call(String method, String path, Object bodyOrQuery, String auth) {
        APIGatewayProxyRequestEvent e = new APIGatewayProxyRequestEvent();
        e.setHttpMethod(method);
        e.setPath(path);
        e.setResource("/{proxy+}");
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        e.setHeaders(headers);
        e.setMultiValueHeaders(new HashMap<>());
        headers.forEach((k, v) -> e.getMultiValueHeaders().put(k, List.of(v)));
        if (bodyOrQuery instanceof String body) {
            e.setBody(body);
        } else if (bodyOrQuery instanceof Map<?, ?> query) {
            @SuppressWarnings("unchecked")
            Map<String, String> q = (Map<String, String>) query;
            e.setQueryStringParameters(q);
            Map<String, List<String>> multi = new HashMap<>();
            q.forEach((k, v) -> multi.put(k, List.of(v)));
            e.setMultiValueQueryStringParameters(multi);
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setHttpMethod(method);
        ctx.setPath("/prod" + path);
        ctx.setStage("prod");
        ctx.setRequestId("req-1");
        e.setRequestContext(ctx);
        return function.handleRequest(e, new FakeLambdaContext());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(APIGatewayProxyResponseEvent r) throws Exception {
        String body = Boolean.TRUE.equals(r.getIsBase64Encoded())
                ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8) : r.getBody();
        return JSON.readValue(body, Map.class);
    }

    private static String header(APIGatewayProxyResponseEvent r, String name) {
        if (r.getHeaders() != null && r.getHeaders().get(name) != null) {
            return r.getHeaders().get(name);
        }
        return r.getMultiValueHeaders() == null ? null : r.getMultiValueHeaders().get(name).get(0);
    }
}
