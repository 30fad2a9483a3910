package app.statustracker.rest;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import app.statustracker.auth.SessionCookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Cross-site request forgery guard for every route that changes something, except the webhooks (upstreams send no
 * cookie and no Origin): a request that names another origin ({@code Origin}, else {@code Referer}) is refused, and
 * one that carries the session cookie must name the dashboard's own. SameSite=Lax keeps the cookie off other sites'
 * requests in current browsers; this also covers older ones and same-site neighbours (another app on the same host
 * name, another port), and login forms posted from elsewhere (login CSRF). The matched resource decides, not the raw
 * path, so {@code //api/...} or {@code /%61pi/...} cannot slip past.
 */
public class SameOriginFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public RestResponse<Map<String, String>> sameOrigin(HttpServerRequest request, SimpleResourceInfo resource) {
        if (SAFE.contains(request.method().name())
                || (resource != null && resource.getResourceClass() == HooksResource.class)) {
            return null;
        }
        String from = request.getHeader("Origin");
        if (from == null || from.isBlank() || "null".equals(from)) {
            from = request.getHeader("Referer");
        }
        boolean cookie = SessionCookie.token(request) != null && SessionCookie.headerToken(request) == null;
        if (from == null || from.isBlank() || "null".equals(from)) {
            // Tools (curl, scripts with X-Jellyfin-Token) send no Origin; a browser sending the cookie always does.
            return cookie ? refused() : null;
        }
        String host = request.getHeader("X-Forwarded-Host");
        if (host == null || host.isBlank()) {
            host = request.getHeader("Host");
        }
        return host != null && authority(from).equals(normalise(host.split(",")[0].trim())) ? null : refused();
    }

    private static RestResponse<Map<String, String>> refused() {
        return RestResponse.status(RestResponse.Status.FORBIDDEN, Map.of("detail",
                "Cross-site request refused: it does not come from the dashboard's own address"));
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
