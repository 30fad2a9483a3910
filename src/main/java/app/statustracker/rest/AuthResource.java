package app.statustracker.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import app.statustracker.auth.Caller;
import app.statustracker.auth.DashboardAccessPolicy;
import app.statustracker.auth.JellyfinSessions;
import app.statustracker.auth.LoginLimiter;
import app.statustracker.auth.SessionCookie;
import app.statustracker.client.JellyfinClient;
import app.statustracker.client.UpstreamException;
import app.statustracker.config.TrackerConfig;
import app.statustracker.service.SecretMasker;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * Login with a Jellyfin account. The credentials travel in the JSON body only and go straight to Jellyfin; the token
 * Jellyfin issues becomes the HttpOnly session cookie and is never put in an answer.
 */
@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);
    private static final int MAX_FIELD = 256;

    private final JellyfinClient jellyfin;
    private final JellyfinSessions sessions;
    private final LoginLimiter limiter;
    private final DashboardAccessPolicy access;
    private final Duration sessionMaxAge;
    private final SecurityIdentity identity;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public AuthResource(JellyfinClient jellyfin, JellyfinSessions sessions, LoginLimiter limiter,
            DashboardAccessPolicy access, TrackerConfig config, SecurityIdentity identity,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.json = json;
        this.jellyfin = jellyfin;
        this.sessions = sessions;
        this.limiter = limiter;
        this.access = access;
        this.sessionMaxAge = config.auth().sessionMaxAge();
        this.identity = identity;
    }

    @GET
    @Path("/session")
    public Map<String, Object> session() {
        return view(Caller.of(identity));
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Map<String, Object>>> login(String body, @Context HttpServerRequest request) {
        String username;
        String password;
        try {
            JsonNode json = body == null || body.isBlank() ? null
                    : this.json.readTree(body);
            if (json == null || !json.isObject()) {
                throw new BadRequestException("send {\"username\": \"...\", \"password\": \"...\"} as JSON");
            }
            username = text(json, "username");
            password = text(json, "password");
        } catch (java.io.IOException e) {
            throw new BadRequestException("the body is not JSON: send {\"username\": \"...\", \"password\": \"...\"}");
        }
        if (username == null || username.isBlank()) {
            throw new BadRequestException("username is required");
        }
        if (password == null) {
            password = ""; // Jellyfin accounts may have no password
        }
        if (username.length() > MAX_FIELD || password.length() > MAX_FIELD) {
            throw new BadRequestException("username and password are at most " + MAX_FIELD + " characters");
        }
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        var wait = limiter.attempt(address, username);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            return Uni.createFrom().item(RestResponse.ResponseBuilder
                    .<Map<String, Object>> create(RestResponse.Status.TOO_MANY_REQUESTS,
                            detail("Too many failed logins; try again in " + seconds + " seconds"))
                    .header("Retry-After", String.valueOf(seconds)).build());
        }
        if (!jellyfin.configured()) {
            limiter.succeeded(address, username);
            return Uni.createFrom().item(RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE,
                    detail("Logins need Jellyfin: set JELLYFIN_HOST and JELLYFIN_API_KEY")));
        }
        String user = username;
        return jellyfin.authenticate(username, password).map(login -> {
            limiter.succeeded(address, user);
            Caller caller = sessions.callerOf(login.user());
            sessions.remember(login.token(), caller);
            request.response().addCookie(SessionCookie.create(request, login.token(), sessionMaxAge.toSeconds()));
            LOG.infof("login: %s%s", caller.username(), caller.admin() ? " (admin)" : "");
            return RestResponse.ok(view(caller));
        }).onFailure().recoverWithItem(failure -> {
            if (failure instanceof UpstreamException u && u.status() != null && u.status() >= 400 && u.status() < 500) {
                LOG.infof("login refused by Jellyfin for a user name from %s", address);
                return RestResponse.status(RestResponse.Status.UNAUTHORIZED, detail("Wrong user name or password"));
            }
            limiter.succeeded(address, user); // not the user's failure: Jellyfin could not say
            LOG.warnf("login: Jellyfin could not be asked: %s", SecretMasker.describe(failure));
            return RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE,
                    detail("Jellyfin is not reachable, so logins cannot be checked; try again shortly"));
        });
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> logout(@Context HttpServerRequest request) {
        String token = SessionCookie.headerToken(request) != null ? SessionCookie.headerToken(request)
                : SessionCookie.token(request);
        request.response().addCookie(SessionCookie.expired(request));
        Map<String, Object> answer = view(new Caller(null, null, false));
        if (token == null) {
            return Uni.createFrom().item(answer);
        }
        sessions.forget(token);
        // Jellyfin revokes the token too, so a copied cookie is worthless; if Jellyfin is down the cookie is gone anyway.
        return jellyfin.logout(token).onFailure().recoverWithNull().replaceWith(answer);
    }

    private Map<String, Object> view(Caller caller) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("authenticated", !caller.anonymous());
        if (!caller.anonymous()) {
            view.put("user_id", caller.userId());
            view.put("username", caller.username());
        }
        view.put("is_admin", caller.admin());
        view.put("login_required", access.loginRequired());
        return view;
    }

    private static Map<String, Object> detail(String message) {
        return Map.of("detail", message);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
