package dev.towerless.local.e2e;

import dev.towerless.local.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * EC2 for ec2 inventory sources: moto_server on 127.0.0.1 with three tagged instances (web1 and
 * db1 running, web2 stopped; tags Name and role), created with boto3 (which comes with moto).
 * {@link #taskEnv} is the AWX_TASK_ENV that points amazon.aws.aws_ec2 at it:
 * {@code AWS_ENDPOINT_URL} (botocore 1.31 and later) and, for Debian's botocore 1.29 which
 * predates that variable, an EC2 endpoint rule set in {@code AWS_DATA_PATH} whose one rule is
 * moto's URL. amazon.aws 5.5.1's aws_ec2 has no endpoint option. Unavailable (with the reason)
 * where moto, boto3, amazon.aws or Debian's python3-boto3 is missing.
 */
final class Ec2Emulator implements AutoCloseable {
    /** aws_ec2 options the tests use: names from the Name tag, a group per tag; terminated instances left out. */
    static final String SOURCE_VARS = String.join("\n", "regions: [us-east-1]", "hostnames: ['tag:Name']",
            "keyed_groups:", "- key: tags", "  prefix: tag", "filters:", "  instance-state-name: [running, stopped]", "");

    private final Optional<MotoServer> moto;
    private final String why;
    private final Map<String, String> instances = new LinkedHashMap<>();
    private Path dataPath;

    private Ec2Emulator(Optional<MotoServer> moto, String why) {
        this.moto = moto;
        this.why = why;
    }

    static Ec2Emulator start() throws Exception {
        if (!succeeds(new ProcessBuilder("python3", "-c", "import boto3, botocore"))) {
            return new Ec2Emulator(Optional.empty(),
                    "python3 with boto3 (it comes with moto, TOOLCHAIN.md) is not installed: no EC2 to create instances in");
        }
        if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/ansible_collections/amazon/aws"))
                || !succeeds(new ProcessBuilder("/usr/bin/python3", "-c", "import boto3"))) {
            return new Ec2Emulator(Optional.empty(), "amazon.aws or Debian's python3-boto3 is missing (./towerless test installs them)");
        }
        Optional<MotoServer> moto = MotoServer.start();
        if (moto.isEmpty()) {
            return new Ec2Emulator(Optional.empty(), "moto_server is not installed (TOOLCHAIN.md): no EC2 API to sync from");
        }
        Ec2Emulator ec2 = new Ec2Emulator(moto, "");
        ec2.launch("web1", "web");
        ec2.launch("web2", "web");
        ec2.launch("db1", "db");
        ec2.ec2Call("c.stop_instances(InstanceIds=[sys.argv[2]])", ec2.instanceId("web2"));
        ec2.writeEndpointRules();
        return ec2;
    }

    boolean available() {
        return moto.isPresent();
    }

    String why() {
        return why;
    }

    String endpoint() {
        return moto.orElseThrow().endpoint();
    }

    String instanceId(String name) {
        return instances.get(name);
    }

    Map<String, String> taskEnv() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_DATA_PATH", dataPath.toString());
    }

    /** A running instance with tags Name and role. */
    void launch(String name, String role) throws Exception {
        String out = ec2Call(String.join("\n", "image = c.describe_images()['Images'][0]['ImageId']",
                "r = c.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=[{'ResourceType': 'instance',",
                "    'Tags': [{'Key': 'Name', 'Value': sys.argv[2]}, {'Key': 'role', 'Value': sys.argv[3]}]}])",
                "print(r['Instances'][0]['InstanceId'])"), name, role);
        instances.put(name, out.strip());
    }

    void terminate(String name) throws Exception {
        ec2Call("c.terminate_instances(InstanceIds=[sys.argv[2]])", instances.get(name));
    }

    private String ec2Call(String code, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(endpoint()));
        all.addAll(List.of(args));
        return python(String.join("\n", "import boto3, sys",
                "c = boto3.client('ec2', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id='AKIAMOTO',",
                "                 aws_secret_access_key='x')", code), all.toArray(String[]::new));
    }

    /** botocore's own EC2 rule set with one rule: moto's URL. Readable by the runs' unprivileged user. */
    private void writeEndpointRules() throws IOException, InterruptedException {
        dataPath = Path.of("target", "ec2-endpoint-" + endpoint().replaceAll("\\D", "")).toAbsolutePath();
        Path rules = dataPath.resolve("ec2/2016-11-15");
        Files.createDirectories(rules);
        String parameters = python("import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['parameters']))",
                "/usr/lib/python3/dist-packages/botocore/data/ec2/2016-11-15/endpoint-rule-set-1.json").strip();
        Path file = rules.resolve("endpoint-rule-set-1.json");
        Files.writeString(file, "{\"version\":\"1.0\",\"parameters\":" + parameters + ",\"rules\":[{\"conditions\":[],"
                + "\"endpoint\":{\"url\":\"" + endpoint() + "\",\"properties\":{},\"headers\":{}},\"type\":\"endpoint\"}]}");
        for (Path p = file; p != null && p.startsWith(dataPath.getParent()) && !p.equals(dataPath.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private static boolean succeeds(ProcessBuilder pb) {
        try {
            Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(String code, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", code));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("python3 failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        moto.ifPresent(MotoServer::close);
    }
}
