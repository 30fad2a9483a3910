package app.statustracker.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import app.statustracker.EventOutcome;
import app.statustracker.ingest.WebhookIntake;
import app.statustracker.ingest.WebhookIntake.Answer;
import app.statustracker.service.PipelineResult;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Webhook endpoints. Any content type is accepted; the body is read as JSON. */
@Path("/hooks")
@Produces(MediaType.APPLICATION_JSON)
public class HooksResource {

    private final WebhookIntake intake;
    private final WebhookSecrets secrets;

    public HooksResource(WebhookIntake intake, WebhookSecrets secrets) {
        this.intake = intake;
        this.secrets = secrets;
    }

    @GET
    public Map<String, List<WebhookIntake.Endpoint>> endpoints() {
        return Map.of("endpoints", intake.endpoints());
    }

    @POST
    @Path("/{service}")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Map<String, Object>>> receive(@RestPath String service,
            @RestHeader("Content-Type") String contentType, @RestHeader("Authorization") String authorization,
            @RestHeader("X-Webhook-Secret") String headerSecret, @org.jboss.resteasy.reactive.RestQuery String token,
            byte[] body) {
        if (!intake.knows(service)) {
            return Uni.createFrom().item(RestResponse.status(RestResponse.Status.NOT_FOUND,
                    Map.of("detail", "Unknown service: " + service + ". Available: " + intake.services())));
        }
        if (!secrets.allows(service, authorization, headerSecret, token)) {
            // Refused before anything is read or stored: a delivery without the secret changes nothing.
            return Uni.createFrom().item(RestResponse.ResponseBuilder.create(RestResponse.Status.UNAUTHORIZED,
                    Map.<String, Object>of("detail", "this webhook needs the shared secret (WEBHOOK_SECRET): as the"
                            + " Basic auth password, a Bearer token, an X-Webhook-Secret header or ?token=",
                            "status", "rejected"))
                    .header("WWW-Authenticate", "Basic realm=\"status-tracker webhooks\"").build());
        }
        return intake.receive(service, contentType, body == null ? new byte[0] : body).map(HooksResource::toResponse);
    }

    private static RestResponse<Map<String, Object>> toResponse(Answer answer) {
        PipelineResult result = answer.result();
        if (answer.refusal() != null) {
            return RestResponse.status(RestResponse.Status.fromStatusCode(answer.refusal().status()),
                    Map.of("detail", answer.refusal().message(), "status", "rejected"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status(result.outcome()));
        body.put("outcome", result.outcome().value());
        body.put("request_id", result.requestId());
        body.put("event_id", result.inboundEventId());
        body.put("reason", result.reason());
        return RestResponse.ok(body);
    }

    /** The prototype's answer vocabulary; {@code outcome} says precisely what happened. */
    private static String status(EventOutcome outcome) {
        return switch (outcome) {
            case APPLIED, STALE -> "processed";
            case DUPLICATE -> "duplicate";
            case UNMATCHED -> "unmatched";
            case IGNORED -> "ignored";
            case REJECTED -> "rejected";
            case ERROR -> "error";
        };
    }
}
