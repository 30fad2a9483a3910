package app.statustracker.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** Tolerant readers for upstream JSON: ids arrive as numbers, numeric strings, "" or null. */
public final class Payloads {

    private Payloads() {
    }

    /** A positive id from a number or a numeric string; null for absent, null, "", 0 or anything else. */
    public static Long id(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                return null; // asLong() would keep the low bits of a huge number: a wrong id, not no id
            }
            long v = node.asLong();
            return v > 0 ? v : null;
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            long v = Long.parseLong(s);
            return v > 0 ? v : null;
        }
        return null;
    }

    /** A non-blank string, or null. Numbers are rendered as text. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String s = storable(node.asText()).trim();
        return s.isEmpty() ? null : s;
    }

    /** PostgreSQL text cannot hold NUL characters: they become U+FFFD instead of failing the whole event. */
    public static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** A torrent hash in lower case, or null. */
    public static String hash(JsonNode node) {
        String s = text(node);
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
