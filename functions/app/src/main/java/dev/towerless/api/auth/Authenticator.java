package dev.towerless.api.auth;

import dev.towerless.api.dialect.PrefetchHints.Hint;
import dev.towerless.app.Stamps;
import dev.towerless.core.jobs.UnifiedJob;
import dev.towerless.core.jobs.Timestamps;
import dev.towerless.core.ports.JointReads;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.security.Passwords;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * AWX's two ways in: {@code Authorization: Bearer <token>} (personal access tokens from
 * {@code /api/v2/tokens/}) and HTTP Basic with username and password. A token carries its scope;
 * basic authentication, as AWX's session and basic logins, may write.
 */
@Singleton
public class Authenticator {
    /** AWX's default OAUTH2_PROVIDER ACCESS_TOKEN_EXPIRE_SECONDS is ~1000 years; a year is enough. */
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(365);

    private final ResourceStore resources;
    private final JointReads joint;
    private final Clock clock;
    /**
     * Digest → the token's id, its user's and its expiry (epoch seconds), for tokens whose last
     * request authenticated. Neither id ever changes for a digest (a token's user is fixed at its creation; a digest is 256 random
     * bits), so an entry is never wrong, only stale: a request that finds it still reads the token
     * and the user consistently, fails the moment the token is deleted or expires, and drops the
     * entry then. It saves the index query, one of a warm request's two authentication round trips.
     * Bounded, least recently used out.
     */
    private final Map<String, long[]> known = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                    return size() > 10_000;
                }
            });

    public Authenticator(ResourceStore resources, JointReads joint, Clock clock) {
        this.resources = resources;
        this.joint = joint;
        this.clock = clock;
    }

    /**
     * Who made a request, and whether their credentials allow writing; and what was read beside the
     * token at the caller's hint: the objects and jobs {@code hinted}, found in {@code read} and
     * {@code jobs} unless they do not exist.
     */
    public record Authenticated(Resource user, boolean mayWrite, Hint hinted,
                                Map<String, Map<Long, Resource>> read, Map<Long, UnifiedJob> jobs, Map<Long, Long> newest) {
        public Authenticated(Resource user, boolean mayWrite) {
            this(user, mayWrite, Hint.NONE, Map.of(), Map.of(), Map.of());
        }
    }

    public Optional<Authenticated> authenticate(String authorization) {
        return authenticate(authorization, user -> Hint.NONE);
    }

    /**
     * As {@link #authenticate(String)}; for a token seen before, also reads the objects and jobs that
     * {@code hint} names for its user, in the same batch as the token and the user
     * ({@link dev.towerless.api.dialect.PrefetchHints}).
     */
    public Optional<Authenticated> authenticate(String authorization, LongFunction<Hint> hint) {
        if (authorization == null) {
            return Optional.empty();
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2) {
            return Optional.empty();
        }
        return switch (parts[0].toLowerCase(java.util.Locale.ROOT)) {
            case "bearer" -> byToken(parts[1], hint);
            case "basic" -> byBasic(parts[1]).map(u -> new Authenticated(u, true));
            default -> Optional.empty();
        };
    }

    /**
     * Two round trips for a token this process has not seen: the token found in the name index,
     * then the token read again (a consistent read, so a token deleted or revoked a moment ago fails
     * on its very next request) together with its user in one batch. One for a token that
     * authenticated before ({@link #known}): that batch read alone, with the objects and jobs the
     * caller's hint names. A token's user never changes; should the fresh copy name another one, the user is
     * read again to be sure.
     */
    private Optional<Authenticated> byToken(String token, LongFunction<Hint> hint) {
        String digest = Passwords.tokenDigest(token);
        long[] ids = known.get(digest);
        // Only a token that authenticated last time reads a hint: a stranger's request, or one whose
        // token has expired, been deleted or lost its user, reads nothing but its token and user.
        Hint hinted = ids == null || ids[1] < 0 || clock.instant().getEpochSecond() >= ids[2]
                ? Hint.NONE : hint.apply(ids[1]);
        if (ids == null) {
            Optional<Resource> indexed = resources.findByNameInIndex(ResourceTypes.TOKEN, digest);
            if (indexed.isEmpty()) {
                return Optional.empty();
            }
            ids = new long[] {indexed.get().id(), indexed.get().reference("user").orElse(-1L), Long.MAX_VALUE};
        }
        long tokenId = ids[0];
        Optional<Long> userId = ids[1] < 0 ? Optional.empty() : Optional.of(ids[1]);
        Map<String, Set<Long>> wanted = new HashMap<>();
        hinted.resources().forEach((type, hintedIds) -> wanted.put(type, new HashSet<>(hintedIds)));
        wanted.computeIfAbsent(ResourceTypes.TOKEN, t -> new HashSet<>()).add(tokenId);
        userId.ifPresent(u -> wanted.computeIfAbsent(ResourceTypes.USER, t -> new HashSet<>()).add(u));
        JointReads.Found found = joint.read(wanted, hinted.jobs(), hinted.templates());
        Map<String, Map<Long, Resource>> read = found.resources();
        Optional<Authenticated> who = Optional.ofNullable(read.getOrDefault(ResourceTypes.TOKEN, Map.of()).get(tokenId))
                .filter(t -> digest.equals(t.get("token_digest")))
                .filter(t -> t.string("expires").map(e -> Timestamps.parse(e).isAfter(clock.instant())).orElse(true))
                .flatMap(t -> t.reference("user").flatMap(u -> u.equals(userId.orElse(null))
                                ? Optional.ofNullable(read.getOrDefault(ResourceTypes.USER, Map.of()).get(u))
                                : resources.get(ResourceTypes.USER, u))
                        .map(u -> new Authenticated(u, scopes(t).contains("write"), hinted, read, found.jobs(), found.newest())));
        if (who.isPresent()) {
            // the user it named this time (read again if it moved), so the next request reads that one beside it
            known.put(digest, new long[] {tokenId, who.get().user().id(), expiry(read.get(ResourceTypes.TOKEN).get(tokenId))});
        } else {
            known.remove(digest);
        }
        return who;
    }

    /** When a token expires, in epoch seconds (AWX's tokens are stored with their expiry; one without never does). */
    private static long expiry(Resource token) {
        return token.string("expires").map(e -> Timestamps.parse(e).getEpochSecond()).orElse(Long.MAX_VALUE);
    }

    /** AWX keeps scopes as space-separated words ("read", "write", "read write"). */
    private static List<String> scopes(Resource token) {
        return List.of(token.fields().getOrDefault("scope", "write").toString().trim().split("\\s+"));
    }

    private Optional<Resource> byBasic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return resources.findByName(ResourceTypes.USER, username)
                .filter(u -> Passwords.matches(password, (String) u.get("password")));
    }

    /** Issues a token for {@code user}; the plaintext is returned once and stored only as a digest. */
    public IssuedToken issue(Resource user, String description, String scope) {
        return issue(user, description, scope, null);
    }

    /** Issues a token for {@code user}, of an OAuth2 application when {@code application} is set. */
    public IssuedToken issue(Resource user, String description, String scope, Long application) {
        String token = Passwords.newToken();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("token_digest", Passwords.tokenDigest(token));
        f.put("user", user.id());
        f.put("description", description == null ? "" : description);
        f.put("scope", scope == null ? "write" : scope);
        f.put("application", application);
        f.put("expires", Timestamps.format(clock.instant().plus(TOKEN_LIFETIME)));
        f.putAll(Stamps.created(clock));
        return new IssuedToken(resources.create(ResourceTypes.TOKEN, f), token);
    }

    public record IssuedToken(Resource resource, String token) {
    }
}
