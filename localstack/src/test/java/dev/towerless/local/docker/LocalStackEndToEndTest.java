package dev.towerless.local.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.EmbeddedStack;
import dev.towerless.local.SampleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The same flow as the local-stack end-to-end test, with LocalStack's DynamoDB, SQS and SNS in
 * place of dynalite and fauxqs. Runs only where Docker does; never the only test of anything.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackEndToEndTest {
    @Container
    static final LocalStackContainer LOCALSTACK = LocalStackContainers.create();

    @Test
    void aPlaybookJobRunsToSuccessOnLocalStack() throws Exception {
        Path state = Files.createTempDirectory("towerless-localstack-");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests(state),
                LocalStackContainers.backends(LOCALSTACK))) {
            ApiClient api = new ApiClient(stack.apiUrl(), stack.adminToken());
            String repo = SampleRepository.create(SampleRepository.sampleDir(), state.resolve("sample.git"));
            long org = id(api.create("organizations/", Map.of("name", "ls")));
            long project = id(api.create("projects/", Map.of("name", "ls", "organization", org, "scm_url", repo)));
            long inv = id(api.create("inventories/", Map.of("name", "ls", "organization", org)));
            api.create("inventories/" + inv + "/hosts/", Map.of("name", "localhost", "variables", "ansible_connection: local"));
            long jt = id(api.create("job_templates/", Map.of("name", "ls", "project", project, "inventory", inv,
                    "playbook", "hello.yml")));
            await(api, "projects/" + project + "/");
            long job = ((Number) api.create("job_templates/" + jt + "/launch/", Map.of()).get("job")).longValue();
            assertThat(await(api, "jobs/" + job + "/")).containsEntry("status", "successful");
        }
    }

    private static Map<String, Object> await(ApiClient api, String path) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Map<String, Object> o = api.get(path).json();
            if (!List.of("new", "pending", "waiting", "running").contains(String.valueOf(o.get("status")))) {
                return o;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not finish");
    }

    private static long id(Map<String, Object> o) {
        return ((Number) o.get("id")).longValue();
    }
}
