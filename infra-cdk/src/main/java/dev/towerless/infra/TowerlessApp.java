package dev.towerless.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy} entry point (see cdk.json and ./towerless deploy). */
public final class TowerlessApp {
    private TowerlessApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        String prefix = context(app, "prefix", "towerless-");
        Path root = Path.of(context(app, "root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("functions/app/target/towerless-functions.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn package, or ./towerless deploy)");
        }
        new TowerlessStack(app, context(app, "stackName", "Towerless"), StackProps.builder()
                .description("Towerless: AWX's background task system, serverless")
                .env(Environment.builder().account(System.getenv("CDK_DEFAULT_ACCOUNT")).region(System.getenv("CDK_DEFAULT_REGION")).build())
                .build(), prefix, jar.toString(), root.resolve("runner-container").toString());
        app.synth();
    }

    private static String context(App app, String key, String fallback) {
        Object v = app.getNode().tryGetContext(key);
        return v == null ? fallback : v.toString();
    }
}
