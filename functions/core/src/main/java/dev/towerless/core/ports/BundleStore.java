package dev.towerless.core.ports;

/** Where gather_analytics leaves its bundles: an S3 bucket on AWS, the state directory locally. */
public interface BundleStore {

    /** Stores {@code content} under {@code name} (never overwriting another bundle); returns where it went. */
    String put(String name, byte[] content);
}
