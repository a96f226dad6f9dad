package dev.towerless.core.credentials;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SSH private keys as AWX reads them ({@code awx/main/validators.py validate_pem}): one or more
 * PEM objects, at least one a private key, and whether that key is encrypted. An OpenSSH-format
 * key is encrypted unless its cipher is {@code none}; a PEM key when it says so
 * ({@code ENCRYPTED PRIVATE KEY}, or a {@code Proc-Type: 4,ENCRYPTED} header).
 */
public final class SshPrivateKeys {
    private static final Pattern PEM_OBJECT = Pattern.compile(
            "^(?<dashes>-{4,}) *BEGIN (?<type>[A-Z ]+?) *\\k<dashes>\\s*(?<data>.+?)\\s*\\k<dashes> *END \\k<type> *\\k<dashes>(?<next>.*?)$",
            Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("^(.+?):\\s*?(.+?)(\\\\??)$");
    private static final Map<String, String> KEY_TYPES = Map.of("RSA", "rsa", "DSA", "dsa", "EC", "ecdsa",
            "OPENSSH", "ed25519", "", "rsa1");
    private static final byte[] OPENSSH_UNENCRYPTED = "openssh-key-v1\0\0\0\0\4none".getBytes(StandardCharsets.ISO_8859_1);

    private SshPrivateKeys() {
    }

    /** One private key found in the text. */
    public record PrivateKey(String keyType, boolean encrypted) {
    }

    /**
     * The private keys in {@code pem}.
     *
     * @throws IllegalArgumentException with AWX's message when the text is not a valid key. Unlike
     *     AWX, the message never quotes the text: it is a secret.
     */
    public static List<PrivateKey> parse(String pem) {
        List<PrivateKey> keys = new ArrayList<>();
        String data = pem == null ? "" : pem.replace("\\u003d", "=").stripLeading();
        while (!data.isEmpty()) {
            Matcher m = PEM_OBJECT.matcher(data);
            if (!m.matches()) {
                throw new IllegalArgumentException("Invalid certificate or key.");
            }
            data = m.group("next").stripLeading();
            String type = m.group("type");
            String keyType = null;
            if (type.endsWith("PRIVATE KEY")) {
                String name = type.replace("ENCRYPTED PRIVATE KEY", "").replace("PRIVATE KEY", "").strip();
                keyType = KEY_TYPES.get(name);
                if (keyType == null) {
                    throw new IllegalArgumentException("Invalid private key: unsupported type \"" + name + "\"");
                }
            } else if (!type.equals("CERTIFICATE")) {
                throw new IllegalArgumentException("Unsupported PEM object type: \"" + type + "\"");
            }
            byte[] decoded = decode(m.group("data"));
            if (keyType != null) {
                boolean encrypted;
                if (keyType.equals("ed25519")) {
                    encrypted = !startsWith(decoded, OPENSSH_UNENCRYPTED);
                } else if (type.equals("ENCRYPTED PRIVATE KEY")) {
                    encrypted = true;
                } else {
                    encrypted = m.group("data").contains("ENCRYPTED");
                }
                keys.add(new PrivateKey(keyType, encrypted));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("At least one private key is required.");
        }
        return keys;
    }

    /** AWX's {@code has_encrypted_ssh_key_data}: false for text that is no valid key. */
    public static boolean encrypted(String pem) {
        if (pem == null || pem.isBlank()) {
            return false;
        }
        try {
            return parse(pem).stream().anyMatch(PrivateKey::encrypted);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The base64 body, skipping RFC 1421 headers (and their continuation lines). */
    private static byte[] decode(String body) {
        StringBuilder base64 = new StringBuilder();
        boolean continues = false;
        for (String raw : body.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (continues) {
                continues = line.endsWith("\\");
                continue;
            }
            if (HEADER.matcher(line).matches()) {
                continues = line.endsWith("\\");
                continue;
            }
            base64.append(line);
        }
        try {
            byte[] decoded = Base64.getMimeDecoder().decode(base64.toString());
            if (decoded.length == 0) {
                throw new IllegalArgumentException("Invalid base64-encoded data");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid base64-encoded data");
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
