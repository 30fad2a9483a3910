package app.statustracker.auth;

/**
 * A session ended (logout): what was opened with its token must stop, e.g. the live streams a login-required
 * dashboard opened with it.
 *
 * @param tokenDigest the token's SHA-256 digest ({@link JellyfinSessions#digest}); the token itself never travels
 */
public record SessionEnded(String tokenDigest) {
}
