package app.statustracker.auth;

import java.util.Set;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads who is calling: the {@code X-Jellyfin-Token} header (scripts) or the session cookie (the dashboard). A bad or
 * unconfirmable token only makes the caller anonymous, so that a stale cookie or header never breaks the public
 * dashboard or a webhook; a route that needs a login then answers 401 saying what was wrong with it.
 */
@ApplicationScoped
public class JellyfinAuthMechanism implements HttpAuthenticationMechanism {

    /** Routing-context attribute: why a login did not count, for the 401 answer. */
    static final String PROBLEM = "status-tracker.auth-problem";
    static final String HEADER = "header";
    static final String COOKIE = "cookie";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = SessionCookie.headerToken(context.request());
        String token = header != null ? header : SessionCookie.token(context.request());
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(token, header != null ? HEADER : COOKIE)), context))
                .onFailure(AuthenticationFailedException.class).recoverWithUni(failure -> {
                    context.put(PROBLEM, failure.getMessage());
                    return Uni.createFrom().nullItem();
                });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    /** 401 with a JSON body saying what to do, like every other error of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended() && !context.response().headWritten()) {
            context.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("detail", unauthorizedDetail(context)).encode());
        }
        return Uni.createFrom().item(true);
    }

    public static String unauthorizedDetail(RoutingContext context) {
        Object problem = context == null ? null : context.get(PROBLEM);
        return problem != null ? problem.toString()
                : "Login required: sign in with a Jellyfin account (POST /api/auth/login) or send X-Jellyfin-Token";
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
