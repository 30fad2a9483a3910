package app.statustracker.auth;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who made a request, as the tracker records it (deletion log, timeline): the Jellyfin user id and name. Never the
 * token.
 *
 * @param userId   Jellyfin user id (32 hex characters); null when anonymous
 * @param username Jellyfin user name; null when anonymous
 * @param admin    whether the caller may see raw events and run admin actions
 */
public record Caller(String userId, String username, boolean admin) {

    /** The identity attribute holding the Jellyfin user id. */
    public static final String USER_ID = "jellyfin_user_id";

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return new Caller(null, null, false);
        }
        Object id = identity.getAttribute(USER_ID);
        return new Caller(id == null ? null : id.toString(), identity.getPrincipal().getName(),
                identity.hasRole(Roles.ADMIN));
    }

    public boolean anonymous() {
        return username == null;
    }
}
