package dev.towerless.aws.lookup;

import dev.towerless.core.ports.SecretLookup;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * The awx-plugins {@code aws_secretsmanager_credential} backend: {@code GetSecretValue} of the
 * secret named in the metadata, in its region, signed with the credential's access key. Unlike
 * awx-plugins, a credential without a key does not fall back to the control plane's own role:
 * that role reads Towerless's sealing key, and a lookup is something any credential owner can
 * point at any secret name (docs/security.md).
 */
public final class AwsSecretsManagerLookup {
    /**
     * Where Secrets Manager is reached: AWS's endpoint for the region, unless the standard
     * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} says otherwise (or the embedded stack, in tests).
     */
    private static volatile Optional<URI> endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER"))
            .filter(s -> !s.isBlank()).map(URI::create);

    /** For the embedded stack and its tests: a Secrets Manager emulator's endpoint. */
    public static void useEndpoint(URI uri) {
        endpoint = Optional.ofNullable(uri);
    }

    String lookup(Map<String, String> in, Map<String, String> metadata) throws SecretLookup.Failed {
        String region = metadata.getOrDefault("region_name", "");
        String name = metadata.getOrDefault("secret_name", "");
        if (region.isEmpty() || name.isEmpty()) {
            throw new SecretLookup.Failed("region_name and secret_name are required.");
        }
        String accessKey = in.getOrDefault("aws_access_key", "");
        String secretKey = in.getOrDefault("aws_secret_key", "");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            throw new SecretLookup.Failed("An AWS Access Key and Secret Key are required: Towerless never looks secrets up "
                    + "with its own role.");
        }
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        var builder = SecretsManagerClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)));
        endpoint.ifPresent(builder::endpointOverride);
        try (SecretsManagerClient client = builder.build()) {
            GetSecretValueResponse value = client.getSecretValue(r -> r.secretId(name));
            if (value.secretString() != null) {
                return value.secretString();
            }
            SdkBytes binary = value.secretBinary();
            return binary == null ? "" : binary.asUtf8String();
        } catch (SdkServiceException e) {
            String code = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                    && aws.awsErrorDetails() != null ? aws.awsErrorDetails().errorCode() : null;
            throw new SecretLookup.Failed(code != null ? code : "HTTP " + e.statusCode());
        } catch (SdkClientException e) {
            throw new SecretLookup.Failed("Secrets Manager could not be reached in " + region);
        }
    }
}
