package app.statustracker.client;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import app.statustracker.config.TrackerConfig;
import app.statustracker.health.UpstreamSettings;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One {@link CircuitBreaker} per upstream ({@code BREAKER_FAILURES}, {@code BREAKER_OPEN_FOR},
 * {@code BREAKER_MAX_OPEN_FOR}), shared by the clients that call it, the reachability probe and {@code /api/health}.
 */
@ApplicationScoped
public class UpstreamBreakers {

    private final Map<String, CircuitBreaker> breakers;
    /** Where each configured upstream is, so that only a client of that upstream shares its breaker. */
    private final Map<String, UpstreamSettings.Upstream> upstreams;

    public UpstreamBreakers(TrackerConfig config, UpstreamSettings settings) {
        TrackerConfig.UpstreamCheck check = config.upstreamCheck();
        Map<String, CircuitBreaker> all = new LinkedHashMap<>();
        this.upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(settings.all()));
        for (String name : upstreams.keySet()) {
            all.put(name, new CircuitBreaker(name, check.breakerFailures(), check.breakerOpenFor(),
                    check.breakerMaxOpenFor(), Clock.systemUTC()));
        }
        this.breakers = Collections.unmodifiableMap(all);
    }

    /** The breaker of a known upstream ({@code jellyfin}, {@code sonarr}, ...). */
    public CircuitBreaker breaker(String upstream) {
        CircuitBreaker breaker = breakers.get(upstream);
        if (breaker == null) {
            throw new IllegalArgumentException("no upstream named " + upstream);
        }
        return breaker;
    }

    /**
     * Whether a call to this upstream would be let through now (see {@link CircuitBreaker#available()}): a
     * scheduled check skips its cycle when not, without building a request. Unknown names are available.
     */
    public boolean available(String upstream) {
        CircuitBreaker breaker = breakers.get(upstream);
        return breaker == null || breaker.available();
    }

    /**
     * The shared breaker when the upstream called {@code name} is configured at this host and port; null for a
     * client pointed elsewhere (a test's fake), which then keeps a breaker of its own.
     */
    CircuitBreaker at(String name, String host, int port) {
        UpstreamSettings.Upstream configured = upstreams.get(name);
        if (configured == null || !configured.configured() || host == null || configured.port() != port
                || !bare(host).equalsIgnoreCase(bare(configured.host()))) {
            return null;
        }
        return breakers.get(name);
    }

    /** A host as written in the settings or as a URI gives it (IPv6 in brackets there). */
    private static String bare(String host) {
        String h = host == null ? "" : host.trim();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /**
     * The breaker for an {@link UpstreamHttp}. Looked up in the container rather than injected because the clients'
     * public constructors ({@code new JellyfinClient(baseUrl, key, vertx, mapper)}) are used as they are by other
     * code and tests; outside a running application (plain unit tests) the client gets a breaker of its own.
     */
    static CircuitBreaker forClient(String name, String host, int port) {
        ArcContainer arc = Arc.container();
        if (arc != null && arc.isRunning()) {
            InstanceHandle<UpstreamBreakers> handle = arc.instance(UpstreamBreakers.class);
            if (handle.isAvailable()) {
                CircuitBreaker shared = handle.get().at(name, host, port);
                if (shared != null) {
                    return shared;
                }
            }
        }
        return CircuitBreaker.withDefaults(name);
    }
}
