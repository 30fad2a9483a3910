package app.statustracker.service;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Masks the values of secret-looking fields (api keys, tokens, passwords, secrets, authorization) in stored
 * payloads before they leave the service. JSON is walked as a tree, so values of any type (strings, numbers, arrays,
 * objects) are masked whole; text that is not JSON falls back to a pattern.
 */
public final class SecretMasker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_NAME = Pattern.compile(
            "api[_-]?key|apikey|token|password|passwd|secret|authorization", Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\"[^\"]*(?:api[_-]?key|apikey|token|password|passwd|secret|authorization)[^\"]*\"\\s*:\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)",
            Pattern.CASE_INSENSITIVE);
    private static final TextNode MASK = TextNode.valueOf("***");

    private SecretMasker() {
    }

    public static String mask(String payload) {
        if (payload == null) {
            return null;
        }
        String lower = payload.toLowerCase(Locale.ROOT);
        if (!SECRET_NAME.matcher(lower).find()) {
            return payload; // nothing secret-looking: the stored text is shown as it came
        }
        try {
            JsonNode tree = JSON.readTree(payload);
            if (tree != null && tree.isContainerNode()) {
                return maskTree(tree) ? tree.toString() : payload;
            }
        } catch (JsonProcessingException e) {
            // not JSON (a rejected body): mask by pattern below
        }
        Matcher m = SECRET_FIELD.matcher(payload);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"***\""));
    }

    /** {@code apikey=…}, {@code X-Api-Key: …}, {@code "token": "…"}: a secret-named key, then its value. */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "((?:api[_-]?key|apikey|token|password|passwd|secret)[a-z_-]*\"?\\s*[=:]\\s*\"?)([^\\s&;,\"}]+)",
            Pattern.CASE_INSENSITIVE);
    /** {@code Authorization: Bearer …} / {@code Basic …} / {@code MediaBrowser Token="…"}. */
    private static final Pattern CREDENTIAL = Pattern.compile("((?:bearer|basic)\\s+)([^\\s,;\"]+)",
            Pattern.CASE_INSENSITIVE);

    /**
     * Masks secret-looking values in free text: an exception's message, an upstream's error, a URL with its query.
     * Every log line and health entry that repeats text the service did not write itself goes through here.
     */
    public static String maskText(String text) {
        if (text == null) {
            return null;
        }
        String masked = SECRET_PAIR.matcher(text).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "***"));
        return CREDENTIAL.matcher(masked).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "***"));
    }

    /** The message of a failure, masked; its class name when it has none. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + maskText(message));
    }

    /** Returns whether anything was masked. */
    private static boolean maskTree(JsonNode node) {
        boolean masked = false;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (SECRET_NAME.matcher(field.getKey()).find()) {
                    field.setValue(MASK);
                    masked = true;
                } else {
                    masked |= maskTree(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode item : array) {
                masked |= maskTree(item);
            }
        }
        return masked;
    }
}
