package app.statustracker.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** A Jellyfin token → the identity of its user, with the {@code admin} role for administrators. */
@ApplicationScoped
public class JellyfinIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final JellyfinSessions sessions;

    public JellyfinIdentityProvider(JellyfinSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        return sessions.resolve(request.getToken().getToken()).map(result -> {
            if (result instanceof JellyfinSessions.Valid valid) {
                return identity(valid.caller());
            }
            String problem = result instanceof JellyfinSessions.Unconfirmed u ? u.reason()
                    : "The Jellyfin login has expired or was revoked; sign in again";
            if (http != null) {
                http.put(JellyfinAuthMechanism.PROBLEM, problem);
            }
            throw new AuthenticationFailedException(problem);
        });
    }

    static SecurityIdentity identity(Caller caller) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.username() == null ? caller.userId() : caller.username()))
                .addRole(Roles.USER).addAttribute(Caller.USER_ID, caller.userId());
        if (caller.admin()) {
            builder.addRole(Roles.ADMIN);
        }
        return builder.build();
    }
}
