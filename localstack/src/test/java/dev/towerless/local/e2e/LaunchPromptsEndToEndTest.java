package dev.towerless.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.towerless.local.ApiClient;
import dev.towerless.local.LocalStackFixture;
import dev.towerless.local.SampleRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every prompt a job template can ask for (AWX's ask_*_on_launch): taken when asked, reported in
 * {@code ignored_fields} and not used when not, and a branch given at launch is the one that runs.
 */
class LaunchPromptsEndToEndTest {
    private static Scenario s;
    private static long project;
    private static final Map<String, Object> ASK_ALL = Map.of("ask_tags_on_launch", true, "ask_skip_tags_on_launch", true,
            "ask_diff_mode_on_launch", true, "ask_timeout_on_launch", true, "ask_labels_on_launch", true,
            "ask_execution_environment_on_launch", true, "ask_instance_groups_on_launch", true,
            "ask_scm_branch_on_launch", true, "ask_job_slice_count_on_launch", true);

    @BeforeAll
    static void setUp() throws Exception {
        s = new Scenario();
        // a repository with a second branch whose hello.yml says where it came from
        Path bare = Files.createTempDirectory("prompts-repo").resolve("repo.git");
        String url = SampleRepository.create(SampleRepository.sampleDir(), bare);
        Path work = Files.createTempDirectory("prompts-work");
        git(work, "clone", "--quiet", url, "w");
        Path w = work.resolve("w");
        git(w, "checkout", "--quiet", "-b", "feature");
        Files.writeString(w.resolve("hello.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.debug:
                        msg: "from-the-feature-branch"
                """);
        git(w, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "-am", "feature");
        git(w, "push", "--quiet", "origin", "feature");
        project = Scenario.id(s.api.create("projects/", Map.of("name", "prompts-" + s.tag, "organization", s.org,
                "scm_type", "git", "scm_url", url, "allow_override", true)));
        s.awaitFinished("projects/" + project + "/", Duration.ofMinutes(1));
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static Map<String, Object> prompts(long label, long ee, long group) {
        return Map.of("job_tags", "first", "skip_tags", "second", "diff_mode", true, "timeout", 120,
                "labels", List.of(label), "execution_environment", ee, "instance_groups", List.of(group),
                "scm_branch", "feature");
    }

    /** Issue 12's first bug: a template's own branch (the project allows overriding) was recorded on the job but not run. */
    @Test
    void aTemplatesOwnBranchIsTheOneThatRuns() throws Exception {
        long t = s.template(project, "hello.yml", Map.of("scm_branch", "feature"));
        Map<String, Object> job = s.awaitFinished("jobs/" + s.launch(t, Map.of()) + "/", Duration.ofMinutes(1));
        assertThat(job).containsEntry("status", "successful").containsEntry("scm_branch", "feature");
        assertThat(s.api.get("jobs/" + job.get("id") + "/stdout/?format=txt").body()).contains("from-the-feature-branch");
        long plain = s.template(project, "hello.yml", Map.of());
        Map<String, Object> onDefault = s.awaitFinished("jobs/" + s.launch(plain, Map.of()) + "/", Duration.ofMinutes(1));
        assertThat(s.api.get("jobs/" + onDefault.get("id") + "/stdout/?format=txt").body()).doesNotContain("from-the-feature-branch");
    }

    @Test
    @SuppressWarnings("unchecked")
    void askedPromptsAreTheJobsAndTheBranchGivenAtLaunchRuns() throws Exception {
        long t = s.template(project, "hello.yml", ASK_ALL);
        long label = Scenario.id(s.api.create("labels/", Map.of("name", "prompted-" + s.tag, "organization", s.org)));
        long ee = Scenario.id(s.api.create("execution_environments/", Map.of("name", "prompted-ee-" + s.tag, "image", "x:1")));
        long group = Scenario.id(s.api.create("instance_groups/", Map.of("name", "prompted-ig-" + s.tag)));
        Map<String, Object> info = s.api.get("job_templates/" + t + "/launch/").json();
        assertThat(info).containsEntry("ask_tags_on_launch", true).containsEntry("ask_scm_branch_on_launch", true);
        assertThat((Map<String, Object>) info.get("defaults")).containsKeys("job_tags", "skip_tags", "diff_mode", "scm_branch",
                "timeout", "labels", "instance_groups", "execution_environment", "job_slice_count");

        ApiClient.Response launched = s.api.post("job_templates/" + t + "/launch/", prompts(label, ee, group));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        assertThat((Map<String, Object>) launched.json().get("ignored_fields")).isEmpty();
        Map<String, Object> job = s.awaitFinished("jobs/" + launched.json().get("job") + "/", Duration.ofMinutes(1));
        assertThat(job).containsEntry("job_tags", "first").containsEntry("skip_tags", "second").containsEntry("diff_mode", true)
                .containsEntry("timeout", 120).containsEntry("scm_branch", "feature").containsEntry("instance_group", (int) group);
        assertThat(((Number) job.get("execution_environment")).longValue()).isEqualTo(ee);
        assertThat(String.valueOf(job.get("job_args"))).contains("--tags", "first", "--skip-tags", "second", "--diff");
        assertThat(s.api.get("jobs/" + job.get("id") + "/labels/").body()).contains("prompted-" + s.tag);
        // the tag filter skips the untagged task, so the branch shows in what ansible printed of its playbook
        ApiClient.Response plain = s.api.post("job_templates/" + t + "/launch/", Map.of("scm_branch", "feature"));
        Map<String, Object> branchJob = s.awaitFinished("jobs/" + plain.json().get("job") + "/", Duration.ofMinutes(1));
        assertThat(branchJob).containsEntry("status", "successful");
        assertThat(s.api.get("jobs/" + branchJob.get("id") + "/stdout/?format=txt").body()).contains("from-the-feature-branch");
    }

    @Test
    @SuppressWarnings("unchecked")
    void promptsATemplateDoesNotAskForAreIgnoredAndSaidSo() throws Exception {
        long t = s.template(project, "hello.yml", Map.of());
        long label = Scenario.id(s.api.create("labels/", Map.of("name", "unasked-" + s.tag, "organization", s.org)));
        long group = Scenario.id(s.api.create("instance_groups/", Map.of("name", "unasked-ig-" + s.tag)));
        ApiClient.Response launched = s.api.post("job_templates/" + t + "/launch/", prompts(label, 1, group));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        assertThat((Map<String, Object>) launched.json().get("ignored_fields")).containsOnlyKeys("job_tags", "skip_tags",
                "diff_mode", "timeout", "labels", "execution_environment", "instance_groups", "scm_branch");
        Map<String, Object> job = s.awaitFinished("jobs/" + launched.json().get("job") + "/", Duration.ofMinutes(1));
        assertThat(job).containsEntry("status", "successful").containsEntry("job_tags", "").containsEntry("diff_mode", false)
                .containsEntry("scm_branch", "");
        assertThat(s.api.get("jobs/" + job.get("id") + "/stdout/?format=txt").body()).doesNotContain("from-the-feature-branch");
    }

    @Test
    void refusedPromptsNameTheirField() throws Exception {
        long fixed = Scenario.id(s.api.create("projects/", Map.of("name", "fixed-" + s.tag, "organization", s.org,
                "scm_type", "git", "scm_url", LocalStackFixture.sampleRepoUrl())));
        ApiClient.Response branch = s.api.post("job_templates/", Map.of("name", "fixed-jt-" + s.tag, "project", fixed,
                "inventory", s.inventory, "playbook", "hello.yml", "ask_scm_branch_on_launch", true));
        assertThat(branch.status()).isEqualTo(400);
        assertThat(branch.body()).contains("ask_scm_branch_on_launch").contains("Project does not allow overriding branch.");
        long t = s.template(project, "hello.yml", ASK_ALL);
        ApiClient.Response slices = s.api.post("job_templates/" + t + "/launch/", Map.of("job_slice_count", 3));
        assertThat(slices.status()).isEqualTo(400);
        assertThat(slices.body()).contains("job_slice_count");
        ApiClient.Response badLabel = s.api.post("job_templates/" + t + "/launch/", Map.of("labels", List.of(987654)));
        assertThat(badLabel.status()).isEqualTo(400);
        assertThat(badLabel.body()).contains("labels").contains("987654");
        // a branch given at launch that git would read as an option ends the job with the reason, and is never run
        ApiClient.Response option = s.api.post("job_templates/" + t + "/launch/", Map.of("scm_branch", "--orphan=planted"));
        assertThat(option.status()).as(option.body()).isEqualTo(201);
        Map<String, Object> refused = s.awaitFinished("jobs/" + option.json().get("job") + "/", Duration.ofMinutes(1));
        assertThat(refused).containsEntry("status", "error");
        assertThat(String.valueOf(refused.get("job_explanation"))).contains("may not start with '-'");
        ApiClient.Response badDiff = s.api.post("job_templates/" + t + "/launch/", Map.of("diff_mode", "yes please"));
        assertThat(badDiff.status()).isEqualTo(400);
        assertThat(badDiff.body()).contains("diff_mode");
    }
}
