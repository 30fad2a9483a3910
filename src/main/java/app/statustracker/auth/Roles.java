package app.statustracker.auth;

/** The two roles a Jellyfin login can carry. Everyone logged in is a {@link #USER}; administrators are also {@link #ADMIN}. */
public final class Roles {

    /** Anyone logged in with a Jellyfin account. */
    public static final String USER = "user";
    /** A Jellyfin administrator, or a user listed in {@code ADMIN_USER_IDS}: may see raw events and act. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
