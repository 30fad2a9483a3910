package app.statustracker.client;

/**
 * A Jellyfin account as the tracker needs it for logins: who it is and whether Jellyfin makes it an administrator.
 *
 * @param id            Jellyfin user id, 32 lower-case hex characters
 * @param name          user name
 * @param administrator Jellyfin's {@code Policy.IsAdministrator}
 */
public record JellyfinUser(String id, String name, boolean administrator) {

    /**
     * A successful login: the user and the access token Jellyfin issued for this tracker's session. The token is a
     * credential: it goes into the session cookie and nowhere else ({@link #toString()} leaves it out).
     */
    public record Login(JellyfinUser user, String token) {
        @Override
        public String toString() {
            return "Login[user=" + user + ", token=***]";
        }
    }
}
