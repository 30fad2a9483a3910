package app.statustracker.auth;

import app.statustracker.config.TrackerConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code DASHBOARD_ACCESS}: with {@code public} anyone may read the API and the live stream (the prototype's default,
 * a read-only view); with {@code login} every read needs a Jellyfin login. Applied to {@code /api/*} by
 * {@code quarkus.http.auth.permission.*} in application.properties; health and the login routes stay open.
 */
@ApplicationScoped
public class DashboardAccessPolicy implements HttpSecurityPolicy {

    private final boolean loginRequired;

    public DashboardAccessPolicy(TrackerConfig config) {
        this.loginRequired = config.auth().dashboardAccess() == TrackerConfig.Auth.Access.LOGIN;
    }

    public boolean loginRequired() {
        return loginRequired;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext requestContext) {
        if (!loginRequired) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(id -> id.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return "dashboard";
    }
}
