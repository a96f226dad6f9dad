package dev.towerless.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy} entry point (see cdk.json). */
public final class TowerlessApp {
    private TowerlessApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        String prefix = (String) app.getNode().tryGetContext("prefix");
        new TowerlessStack(app, "Towerless", StackProps.builder()
                .description("Towerless: AWX's background task system, serverless").build(),
                prefix == null ? "towerless-" : prefix);
        app.synth();
    }
}
