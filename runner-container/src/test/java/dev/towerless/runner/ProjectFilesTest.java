package dev.towerless.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {
    @TempDir
    Path checkout;

    @Test
    void playbooksAndInventoriesAreFoundAsAwxFindsThem() throws Exception {
        write("site.yml", "---\n- hosts: all\n  tasks: []\n");
        write("Deploy.yaml", "- import_playbook: site.yml\n");
        write("secret.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162\n");
        write("vars.yml", "answer: 42\n");
        write("roles/web/tasks/main.yml", "- hosts: all\n");
        write("group_vars/all.yml", "- hosts: all\n");
        write(".github/workflow.yml", "- hosts: all\n");
        write("inventory/hosts.ini", "[web]\nweb1\n");
        write("hosts", "anything");
        write("prod", "[db]\ndb1\n");
        write("notes.txt", "[web]\n");
        write("README", "# not an inventory\n");

        ProjectFiles.Listing listing = ProjectFiles.of(checkout);

        assertThat(listing.playbooks()).containsExactly("Deploy.yaml", "secret.yml", "site.yml");
        assertThat(listing.inventories()).containsExactly("hosts", "inventory/hosts.ini", "prod");
    }

    private void write(String relative, String text) throws Exception {
        Path file = checkout.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
