package app.statustracker.rest;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import app.statustracker.auth.SessionCookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Cross-site request forgery guard: a request that changes something and carries the session cookie must come from
 * the dashboard's own origin ({@code Origin}, else {@code Referer}, equal to the address it was sent to). SameSite=Lax
 * already keeps the cookie off other sites' POSTs in current browsers; this also covers older ones and same-site
 * neighbours (another app on the same host name). Requests with an {@code X-Jellyfin-Token} header instead of the
 * cookie cannot be forged by a browser and pass.
 */
public class SameOriginFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public RestResponse<Map<String, String>> sameOrigin(HttpServerRequest request) {
        if (SAFE.contains(request.method().name()) || !request.path().startsWith("/api/")
                || SessionCookie.token(request) == null || SessionCookie.headerToken(request) != null) {
            return null;
        }
        String from = request.getHeader("Origin");
        if (from == null || from.isBlank() || "null".equals(from)) {
            from = request.getHeader("Referer");
        }
        String host = request.getHeader("X-Forwarded-Host");
        if (host == null || host.isBlank()) {
            host = request.getHeader("Host");
        }
        if (from != null && host != null && authority(from).equals(normalise(host.split(",")[0].trim()))) {
            return null;
        }
        return RestResponse.status(RestResponse.Status.FORBIDDEN, Map.of("detail",
                "Cross-site request refused: it carries the dashboard's login cookie but does not come from the "
                        + "dashboard's own address"));
    }

    private static String authority(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getHost() == null) {
                return "";
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(":80") || h.endsWith(":443")) {
            h = h.substring(0, h.lastIndexOf(':'));
        }
        return h;
    }
}
