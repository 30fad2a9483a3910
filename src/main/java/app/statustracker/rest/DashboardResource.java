package app.statustracker.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.statustracker.config.TrackerConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/dashboard}: the few settings the static dashboard needs and cannot know by itself. Only what a
 * browser may see: the address people open Jellyfin at (for "Watch in Jellyfin" links) and the version.
 */
@Path("/api/dashboard")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    private final String jellyfinUrl;
    private final String version;

    public DashboardResource(TrackerConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        String url = config.jellyfin().publicUrl().trim();
        // Links are built as <url>/web/index.html#!/details?id=...: a trailing slash would double it.
        this.jellyfinUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.version = version;
    }

    @GET
    public Map<String, Object> settings() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("jellyfin_url", jellyfinUrl.isEmpty() ? null : jellyfinUrl);
        return body;
    }
}
