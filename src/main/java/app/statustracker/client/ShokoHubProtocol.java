package app.statustracker.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.signalr.CloseMessage;
import com.microsoft.signalr.GsonHubProtocol;
import com.microsoft.signalr.HubMessage;
import com.microsoft.signalr.HubProtocol;
import com.microsoft.signalr.InvocationBinder;
import com.microsoft.signalr.InvocationMessage;
import com.microsoft.signalr.PingMessage;

import app.statustracker.service.SecretMasker;

/**
 * The JSON hub protocol (protocols.md §6.2, §6.3) for Shoko's hub, used instead of the SignalR client's own gson one
 * because that one binds arguments to Java types (as {@code Object} every number becomes a double) and throws on a
 * malformed record, which makes the client drop the whole socket. Here:
 * <ul>
 * <li>an invocation's argument is handed on as the raw JSON text the hub sent (one String argument; handlers are
 * registered with {@code String.class});</li>
 * <li>a record that is not valid JSON or not a valid message is skipped, the rest of the frame still read;</li>
 * <li>a record split over two WebSocket messages is kept until its 0x1E arrives;</li>
 * <li>invocations of targets no handler is registered for are dropped here, noted once per name (the client would
 * log a warning for each one);</li>
 * <li>pings and close messages go to the client, which handles them; completions and stream items answer calls this
 * client never makes, and unknown types are ignored, as the protocol asks.</li>
 * </ul>
 * One instance per connection (it keeps the partial tail); the client calls it from one thread at a time.
 */
final class ShokoHubProtocol implements HubProtocol {

    private static final Logger LOG = Logger.getLogger(ShokoHub.class);
    private static final byte RS = 0x1e;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes the messages this client never sends in practice (invocations, completions). */
    private static final GsonHubProtocol GSON = new GsonHubProtocol();
    /** A runaway record (no 0x1E) is dropped past this size rather than buffered for ever. */
    private static final int MAX_RECORD = 16 * 1024 * 1024;

    private final Set<String> targets;
    /** Target names already reported as ignored, shared by all connections so each is noted once. */
    private final Set<String> ignored;
    private byte[] tail = new byte[0];
    private int malformed;

    ShokoHubProtocol(Set<String> targets, Set<String> ignored) {
        this.targets = targets;
        this.ignored = ignored;
    }

    @Override
    public String getName() {
        return "json";
    }

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public List<HubMessage> parseMessages(ByteBuffer payload, InvocationBinder binder) {
        ByteBuffer in = payload.duplicate(); // the client's buffer may be read-only; never move its position
        byte[] incoming = new byte[in.remaining()];
        in.get(incoming);
        byte[] data = tail.length == 0 ? incoming : concat(tail, incoming);
        List<HubMessage> messages = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == RS) {
                // 0x1E never occurs inside a UTF-8 multi-byte sequence, so splitting bytes is safe
                HubMessage m = parse(new String(data, start, i - start, StandardCharsets.UTF_8));
                if (m != null) {
                    messages.add(m);
                }
                start = i + 1;
            }
        }
        tail = start == data.length ? new byte[0] : Arrays.copyOfRange(data, start, data.length);
        if (tail.length > MAX_RECORD) {
            tail = new byte[0];
            malformed("a message of more than " + MAX_RECORD + " bytes without a record separator");
        }
        return messages;
    }

    private HubMessage parse(String record) {
        if (record.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(record);
        } catch (Exception e) {
            malformed("not JSON (" + SecretMasker.describe(e) + ")");
            return null;
        }
        if (!(node instanceof ObjectNode) || !node.path("type").canConvertToInt()) {
            malformed("not a hub message (no numeric \"type\")");
            return null;
        }
        switch (node.get("type").asInt()) {
            case 1: {
                JsonNode target = node.get("target");
                JsonNode arguments = node.get("arguments");
                if (target == null || !target.isTextual() || arguments == null || !arguments.isArray()) {
                    malformed("an invocation without a target or arguments");
                    return null;
                }
                if (!targets.contains(target.asText())) {
                    if (ignored.size() < 100 && ignored.add(target.asText())) {
                        LOG.infof("Shoko hub: ignoring messages '%s' (not a target the tracker listens to)",
                                SecretMasker.maskText(target.asText()));
                    }
                    return null;
                }
                String raw = arguments.size() == 1 ? arguments.get(0).toString() : arguments.toString();
                JsonNode id = node.get("invocationId");
                return new InvocationMessage(null, id != null && id.isTextual() ? id.asText() : null, target.asText(),
                        new Object[] { raw }, null);
            }
            case 6:
                return PingMessage.getInstance();
            case 7: {
                JsonNode error = node.get("error");
                return new CloseMessage(error != null && error.isTextual() ? error.asText() : null,
                        node.path("allowReconnect").asBoolean(false));
            }
            default:
                return null; // completions/stream items answer calls never made; unknown types are to be ignored
        }
    }

    /** Said once per connection at WARN (a hub that keeps sending garbage must not flood the log), then at DEBUG. */
    private void malformed(String what) {
        malformed++;
        if (malformed == 1) {
            LOG.warnf("Shoko hub: skipped a malformed message: %s", what);
        } else {
            LOG.debugf("Shoko hub: skipped malformed message %d: %s", malformed, what);
        }
    }

    @Override
    public ByteBuffer writeMessage(HubMessage message) {
        // Pings and close written by hand: no reflection over the client's message classes for what is sent often.
        if (message instanceof PingMessage) {
            return record("{\"type\":6}");
        }
        if (message instanceof CloseMessage close) {
            ObjectNode node = JSON.createObjectNode().put("type", 7);
            if (close.getError() != null) {
                node.put("error", close.getError());
            }
            return record(node.toString());
        }
        return GSON.writeMessage(message);
    }

    private static ByteBuffer record(String json) {
        return ByteBuffer.wrap((json + (char) RS).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
