package app.statustracker.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns Sonarr's and Radarr's queue and history records (REST API v3) into the webhooks they would have sent: a
 * {@code Grab} per download, a {@code Download} (import) per imported file. The adapters then read them like any
 * webhook, and their dedupe keys are the webhook's, so a finding the webhook already delivered is not applied twice.
 * Also reads the queue's warnings ("importBlocked: …") for {@code stuck_reason}.
 */
final class ArrFindings {

    private final ObjectMapper json;
    private final boolean tv;
    private final Map<Long, String> tagLabels;

    /**
     * @param service   {@code sonarr} or {@code radarr}
     * @param tagLabels tag label by id: the API lists tags by id, webhooks by label
     */
    ArrFindings(ObjectMapper json, String service, Map<Long, String> tagLabels) {
        this.json = json;
        this.tv = "sonarr".equals(service);
        this.tagLabels = tagLabels;
    }

    /**
     * The webhooks the queue and the history stand for, grabs before imports, each in the history's order (oldest
     * first). Records without a downloadId are left out: nothing would tie them to a torrent or tell two apart.
     */
    List<ObjectNode> payloads(List<JsonNode> queue, List<JsonNode> history) {
        // A grab the history shows failed, or replaced by a later grab of the same episode or movie, is over: applied
        // late it would send the request back to a dead torrent (its webhook lost, the newer one's delivered).
        Set<String> over = new HashSet<>();
        Map<String, String> latest = new LinkedHashMap<>();
        for (JsonNode h : history) {
            String type = text(h, "eventType");
            if ("downloadFailed".equalsIgnoreCase(type) && hash(h) != null) {
                over.add(hash(h));
            } else if ("grabbed".equalsIgnoreCase(type) && hash(h) != null) {
                latest.put(itemKey(h), hash(h));
            }
        }
        queue.forEach(q -> {
            if (hash(q) != null) {
                latest.put(itemKey(q), hash(q)); // what is in the queue now is the newest
            }
        });
        Map<String, List<JsonNode>> grabs = new LinkedHashMap<>();
        for (JsonNode h : history) {
            if ("grabbed".equalsIgnoreCase(text(h, "eventType")) && hash(h) != null && !over.contains(hash(h))
                    && hash(h).equals(latest.get(itemKey(h)))) {
                grabs.computeIfAbsent(hash(h), k -> new ArrayList<>()).add(h);
            }
        }
        for (JsonNode q : queue) {
            if (hash(q) != null) {
                grabs.computeIfAbsent(hash(q), k -> new ArrayList<>()).add(q);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        grabs.forEach((hash, records) -> out.add(grab(records)));

        Set<String> upgraded = upgradedItems(history);
        Map<String, List<JsonNode>> imports = new LinkedHashMap<>();
        for (JsonNode h : history) {
            String type = text(h, "eventType");
            if (type != null && type.toLowerCase(Locale.ROOT).endsWith("folderimported") && hash(h) != null) {
                // One record per episode; the episodes of a multi-episode file share its path.
                String path = data(h, "importedPath");
                imports.computeIfAbsent(hash(h) + "|" + (path != null ? path : text(h, "id")), k -> new ArrayList<>())
                        .add(h);
            }
        }
        imports.values().forEach(records -> out.add(imported(records, upgraded)));
        return out;
    }

    /**
     * What the queue says is wrong with a download, by lower-case hash: only records the *arr itself flags
     * (trackedDownloadStatus warning or error), e.g. "importBlocked: Found matching series via grab history, but
     * release was matched to series by ID. Automatic import is not possible."
     */
    static Map<String, String> problems(List<JsonNode> queue) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (JsonNode q : queue) {
            String status = text(q, "trackedDownloadStatus");
            String hash = hash(q);
            if (hash == null || status == null || !(status.equalsIgnoreCase("warning") || status.equalsIgnoreCase("error"))) {
                continue;
            }
            Set<String> messages = new java.util.LinkedHashSet<>();
            JsonNode statusMessages = q.get("statusMessages");
            if (statusMessages != null && statusMessages.isArray()) {
                for (JsonNode m : statusMessages) {
                    JsonNode lines = m.get("messages");
                    if (lines != null && lines.isArray() && !lines.isEmpty()) {
                        lines.forEach(l -> {
                            if (l.isTextual() && !l.asText().isBlank()) {
                                messages.add(l.asText().trim());
                            }
                        });
                    } else if (text(m, "title") != null) {
                        messages.add(text(m, "title"));
                    }
                }
            }
            if (messages.isEmpty() && text(q, "errorMessage") != null) {
                messages.add(text(q, "errorMessage"));
            }
            String state = text(q, "trackedDownloadState");
            String reason = (state != null ? state : status) + (messages.isEmpty() ? "" : ": " + String.join("; ", messages));
            problems.merge(hash, reason, (a, b) -> a.equals(b) ? a : a + "; " + b);
        }
        return problems;
    }

    private ObjectNode grab(List<JsonNode> records) {
        ObjectNode n = json.createObjectNode();
        n.put("eventType", "Grab");
        JsonNode first = records.get(0);
        media(n, records);
        ObjectNode release = n.putObject("release");
        String quality = quality(records);
        if (quality != null) {
            release.put("quality", quality);
        }
        putIfPresent(release, "releaseGroup", firstData(records, "releaseGroup"));
        String title = firstText(records, "title");
        putIfPresent(release, "releaseTitle", title != null ? title : firstText(records, "sourceTitle"));
        String indexer = firstText(records, "indexer");
        putIfPresent(release, "indexer", indexer != null ? indexer : firstData(records, "indexer"));
        Long size = longValue(first.get("size"));
        if (size == null) {
            size = longValue(dataNode(first, "size"));
        }
        if (size != null) {
            release.put("size", size);
        }
        String client = firstText(records, "downloadClient");
        putIfPresent(n, "downloadClient", client != null ? client : firstData(records, "downloadClientName"));
        n.put("downloadId", text(first, "downloadId"));
        return n;
    }

    private ObjectNode imported(List<JsonNode> records, Set<String> upgraded) {
        ObjectNode n = json.createObjectNode();
        n.put("eventType", "Download");
        JsonNode first = records.get(0);
        media(n, records);
        ObjectNode file = n.putObject(tv ? "episodeFile" : "movieFile");
        Long fileId = longValue(dataNode(first, "fileId"));
        if (fileId != null && fileId > 0) {
            file.put("id", fileId);
        }
        String path = data(first, "importedPath");
        putIfPresent(file, "path", path);
        putIfPresent(file, "quality", quality(records));
        putIfPresent(file, "releaseGroup", data(first, "releaseGroup"));
        putIfPresent(file, "sceneName", text(first, "sourceTitle"));
        Long size = longValue(dataNode(first, "size"));
        if (size != null) {
            file.put("size", size);
        }
        boolean upgrade = records.stream().anyMatch(r -> upgraded.contains(itemKey(r)));
        n.put("isUpgrade", upgrade);
        n.put("downloadId", text(first, "downloadId"));
        return n;
    }

    /** The series and its episodes (Sonarr) or the movie (Radarr), in the webhook's shape. */
    private void media(ObjectNode n, List<JsonNode> records) {
        JsonNode first = records.get(0);
        if (tv) {
            JsonNode series = records.stream().map(r -> r.get("series")).filter(s -> s != null && s.isObject())
                    .findFirst().orElse(null);
            ObjectNode s = n.putObject("series");
            Long seriesId = longValue(first.get("seriesId"));
            copy(series, s, "id", "title", "year", "tvdbId", "tmdbId", "imdbId", "path", "images", "alternateTitles");
            if (!s.has("id") && seriesId != null) {
                s.put("id", seriesId);
            }
            putIfPresent(s, "type", text(series, "seriesType"));
            tags(series, s);
            ArrayNode episodes = n.putArray("episodes");
            Set<String> seen = new HashSet<>();
            for (JsonNode r : records) {
                JsonNode e = r.get("episode");
                if (e == null || !e.isObject()) {
                    continue;
                }
                String key = text(e, "seasonNumber") + "x" + text(e, "episodeNumber");
                if (seen.add(key)) {
                    copy(e, episodes.addObject(), "id", "seasonNumber", "episodeNumber", "title", "airDate",
                            "airDateUtc", "tvdbId");
                }
            }
        } else {
            JsonNode movie = records.stream().map(r -> r.get("movie")).filter(m -> m != null && m.isObject())
                    .findFirst().orElse(null);
            ObjectNode m = n.putObject("movie");
            Long movieId = longValue(first.get("movieId"));
            copy(movie, m, "id", "title", "year", "tmdbId", "imdbId", "images", "overview", "alternateTitles");
            if (!m.has("id") && movieId != null) {
                m.put("id", movieId);
            }
            putIfPresent(m, "folderPath", text(movie, "path"));
            tags(movie, m);
        }
    }

    /** Tag ids as labels; left out when an id is unknown, so that a missing label never reads as "not anime". */
    private void tags(JsonNode from, ObjectNode to) {
        JsonNode ids = from == null ? null : from.get("tags");
        if (ids == null || !ids.isArray()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode id : ids) {
            String label = id.isNumber() ? tagLabels.get(id.asLong()) : id.isTextual() ? id.asText() : null;
            if (label == null) {
                return;
            }
            labels.add(label);
        }
        ArrayNode array = to.putArray("tags");
        labels.forEach(array::add);
    }

    /** Episodes (Sonarr) or movies (Radarr) whose file the history says was deleted for an upgrade. */
    private Set<String> upgradedItems(List<JsonNode> history) {
        Set<String> items = new HashSet<>();
        for (JsonNode h : history) {
            String type = text(h, "eventType");
            if (type != null && type.toLowerCase(Locale.ROOT).endsWith("filedeleted")
                    && "upgrade".equalsIgnoreCase(data(h, "reason"))) {
                items.add(itemKey(h));
            }
        }
        return items;
    }

    private String itemKey(JsonNode record) {
        return tv ? "e" + text(record, "episodeId") : "m" + text(record, "movieId");
    }

    private static String quality(List<JsonNode> records) {
        for (JsonNode r : records) {
            JsonNode q = r.get("quality");
            JsonNode inner = q == null ? null : q.get("quality");
            String name = text(inner, "name");
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    private static String hash(JsonNode record) {
        String id = text(record, "downloadId");
        return id == null || id.isBlank() ? null : id.toLowerCase(Locale.ROOT);
    }

    private static String firstText(List<JsonNode> records, String field) {
        return records.stream().map(r -> text(r, field)).filter(v -> v != null && !v.isBlank()).findFirst()
                .orElse(null);
    }

    private static String firstData(List<JsonNode> records, String key) {
        return records.stream().map(r -> data(r, key)).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
    }

    /** A history record's {@code data} entry; the key's case differs between versions. */
    private static JsonNode dataNode(JsonNode record, String key) {
        JsonNode data = record == null ? null : record.get("data");
        if (data == null || !data.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String data(JsonNode record, String key) {
        JsonNode value = dataNode(record, key);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null
                : value.asText();
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        if (from == null) {
            return;
        }
        for (String f : fields) {
            JsonNode v = from.get(f);
            if (v != null && !v.isNull()) {
                to.set(f, v.deepCopy());
            }
        }
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static Long longValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        try {
            return v.isTextual() ? Long.valueOf(v.asText().trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
