package dev.towerless.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a project's checkout offers, as AWX lists it in {@code projects/N/playbooks/} and
 * {@code projects/N/inventories/}: YAML files that look like playbooks (a {@code hosts:} or a
 * playbook import at the start of a line, or vault-encrypted), and files that look like
 * inventories ({@code inventory}, {@code hosts}, {@code .ini}, executables, or extensionless
 * files in inventory syntax). Roles, tasks, group_vars/host_vars and dot directories are
 * skipped, as AWX skips them. Found once per update, since a function cannot read the checkout.
 */
final class ProjectFiles {
    /** A project's listing is kept with the project; past this many entries the rest is left out (AWX caps inventories at 50). */
    static final int MAX_PLAYBOOKS = 1000;
    static final int MAX_INVENTORIES = 50;
    private static final Pattern PLAYBOOK = Pattern.compile(
            "^\\s*?-?\\s*?(?:hosts|(ansible\\.builtin\\.)?include|(ansible\\.builtin\\.)?import_playbook):\\s*?.*?$");
    private static final Pattern INVENTORY_LINE = Pattern.compile("^[a-zA-Z0-9_.=\\[\\]]");

    record Listing(List<String> playbooks, List<String> inventories) {
    }

    private ProjectFiles() {
    }

    static Listing of(Path checkout) {
        List<String> playbooks = new ArrayList<>();
        List<String> inventories = new ArrayList<>();
        try (Stream<Path> files = Files.walk(checkout)) {
            files.filter(Files::isRegularFile).filter(f -> !skipped(checkout.relativize(f.getParent() == null ? f : f.getParent())))
                    .forEach(f -> {
                        String relative = checkout.relativize(f).toString();
                        if (couldBePlaybook(f)) {
                            playbooks.add(relative);
                        }
                        if (couldBeInventory(f)) {
                            inventories.add(relative);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Comparator<String> caseless = Comparator.comparing(String::toLowerCase);
        return new Listing(playbooks.stream().sorted(caseless).limit(MAX_PLAYBOOKS).toList(),
                inventories.stream().sorted(caseless).limit(MAX_INVENTORIES).toList());
    }

    private static boolean skipped(Path directory) {
        for (Path element : directory) {
            String name = element.toString();
            if (name.equals("roles") || name.equals("tasks") || name.equals("group_vars") || name.equals("host_vars")
                    || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean couldBePlaybook(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".yml") && !name.endsWith(".yaml")) {
            return false;
        }
        List<String> lines = lines(file, Integer.MAX_VALUE);
        for (int n = 0; n < lines.size(); n++) {
            if (PLAYBOOK.matcher(lines.get(n)).matches() || n == 0 && lines.get(n).startsWith("$ANSIBLE_VAULT;")) {
                return true;
            }
        }
        return false;
    }

    private static boolean couldBeInventory(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        if (name.equals("inventory") || name.equals("hosts") || extension.equals(".ini") || Files.isExecutable(file)) {
            return true;
        }
        if (!extension.isEmpty()) {
            return false;
        }
        return lines(file, 11).stream().anyMatch(l -> INVENTORY_LINE.matcher(l).find());
    }

    /** The file's first lines, undecodable bytes ignored as AWX ignores them. */
    private static List<String> lines(Path file, int max) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.IGNORE)
                .onUnmappableCharacter(CodingErrorAction.IGNORE);
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while (out.size() < max && (line = r.readLine()) != null) {
                out.add(line);
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
