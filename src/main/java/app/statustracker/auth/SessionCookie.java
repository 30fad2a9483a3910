package app.statustracker.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;

/**
 * The dashboard's session cookie: the Jellyfin token of the login, HttpOnly (scripts never see it), SameSite=Lax (other
 * sites' forms do not send it), Secure when the dashboard is reached over HTTPS (directly or, with
 * {@code QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true}, through a proxy that says so).
 */
public final class SessionCookie {

    public static final String NAME = "status_tracker_session";
    /** The header scripts and other tools send a Jellyfin token in instead of the cookie. */
    public static final String TOKEN_HEADER = "X-Jellyfin-Token";

    private SessionCookie() {
    }

    public static Cookie create(HttpServerRequest request, String token, long maxAgeSeconds) {
        return base(Cookie.cookie(NAME, token), request).setMaxAge(maxAgeSeconds);
    }

    public static Cookie expired(HttpServerRequest request) {
        return base(Cookie.cookie(NAME, ""), request).setMaxAge(0);
    }

    private static Cookie base(Cookie cookie, HttpServerRequest request) {
        return cookie.setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                .setSecure("https".equalsIgnoreCase(request.scheme()));
    }

    /** The token in the request's cookie; null when none. */
    public static String token(HttpServerRequest request) {
        Cookie cookie = request.getCookie(NAME);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** The token in the request's {@value #TOKEN_HEADER} header; null when none. */
    public static String headerToken(HttpServerRequest request) {
        String value = request.getHeader(TOKEN_HEADER);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
