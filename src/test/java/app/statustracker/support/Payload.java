package app.statustracker.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real upstream payload (a fixture) with some values changed, as another delivery from a real deployment would
 * have them: another id, title or hash. Paths are dotted, array items by index: {@code episodes.0.tvdbId}.
 */
public final class Payload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;

    private Payload(ObjectNode root) {
        this.root = root;
    }

    public static Payload of(String fixture) {
        try {
            return new Payload((ObjectNode) JSON.readTree(Fixtures.load(fixture)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(fixture, e);
        }
    }

    public static Payload parse(String json) {
        try {
            return new Payload((ObjectNode) JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    public Payload set(String path, Object value) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = child(parent, parts[i]);
        }
        String last = parts[parts.length - 1];
        JsonNode v = JSON.valueToTree(value);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), v);
        } else {
            ((ObjectNode) parent).set(last, v);
        }
        return this;
    }

    public Payload remove(String path) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = child(parent, parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
        return this;
    }

    /** Keeps only the array items from {@code from} (inclusive) to {@code to} (exclusive). */
    public Payload slice(String path, int from, int to) {
        ArrayNode array = (ArrayNode) at(path);
        ArrayNode kept = JSON.createArrayNode();
        for (int i = from; i < to && i < array.size(); i++) {
            kept.add(array.get(i));
        }
        array.removeAll();
        array.addAll(kept);
        return this;
    }

    public boolean has(String path) {
        try {
            at(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public JsonNode at(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = child(node, part);
        }
        return node;
    }

    /** Replaces a text everywhere in the payload (e.g. a library folder in every path). */
    public Payload replaceAll(String from, String to) {
        return parse(toString().replace(JSON.valueToTree(from).toString().replace("\"", ""),
                JSON.valueToTree(to).toString().replace("\"", "")));
    }

    public Payload copy() {
        return new Payload(root.deepCopy());
    }

    private static JsonNode child(JsonNode node, String part) {
        JsonNode next = node instanceof ArrayNode ? node.get(Integer.parseInt(part)) : node.get(part);
        if (next == null) {
            throw new IllegalArgumentException("no " + part + " in " + node);
        }
        return next;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
