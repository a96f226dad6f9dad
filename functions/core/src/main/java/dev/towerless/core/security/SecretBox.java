package dev.towerless.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credential secrets at rest with AES-256-GCM. Sealed values carry a prefix so a
 * stored value can never be mistaken for plaintext. The key comes from the deployment (a
 * Secrets Manager secret on AWS, {@code .towerless/secret-key} locally), never from the store.
 */
public final class SecretBox {
    /** What AWX shows instead of a secret; sending it back means "keep the stored value". */
    public static final String ENCRYPTED = "$encrypted$";
    private static final String PREFIX = "$encrypted$AESGCM$";
    /** How every sealed value begins (a quick test before parsing anything for them). */
    public static final String SEALED_PREFIX = PREFIX;
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key, or how to get it on first use ({@link #lazy}). */
    private volatile SecretKeySpec key;
    private final java.util.function.Supplier<String> source;

    public SecretBox(byte[] key) {
        this.key = spec(key);
        this.source = null;
    }

    private SecretBox(java.util.function.Supplier<String> source) {
        this.source = source;
    }

    private static SecretKeySpec spec(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256)");
        }
        return new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * A box whose key is fetched ({@code base64OrSecret}, as {@link #fromBase64} reads it) when it
     * first seals or opens something, not when it is built. On Lambda the box is built during init,
     * which SnapStart snapshots: read then, the key would be in every snapshot; read on first use,
     * it is only ever in a restored container's memory.
     */
    public static SecretBox lazy(java.util.function.Supplier<String> base64OrSecret) {
        return new SecretBox(base64OrSecret);
    }

    /** Whether the key has been read (a lazy box's first use). */
    public boolean keyLoaded() {
        return key != null;
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = fromBase64(source.get()).key();
                }
                k = key;
            }
        }
        return k;
    }

    /**
     * The key as configured: base64 of 32 bytes (what the local stack generates), or any other
     * high-entropy string (what Secrets Manager generates), hashed to 32 bytes with SHA-256.
     */
    public static SecretBox fromBase64(String configured) {
        String key = configured.trim();
        try {
            byte[] raw = Base64.getDecoder().decode(key);
            if (raw.length == 32) {
                return new SecretBox(raw);
            }
        } catch (IllegalArgumentException notBase64) {
            // fall through to hashing
        }
        try {
            return new SecretBox(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String newBase64Key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static final java.util.regex.Pattern SEALED_IN_TEXT = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(PREFIX) + "[A-Za-z0-9+/=]+");

    /** Every sealed value inside {@code text} (a stored extra_vars document holds them among plain values). */
    public static java.util.List<String> sealedValuesIn(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = SEALED_IN_TEXT.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    public static boolean isSealed(Object value) {
        return value instanceof String s && s.startsWith(PREFIX);
    }

    public String seal(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String open(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("value is not sealed");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, in, 0, IV_BYTES));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret cannot be decrypted with this key", e);
        }
    }
}
