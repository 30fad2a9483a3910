package app.statustracker.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of secret-looking JSON fields (api keys, tokens, passwords, authorization) in stored payloads
 * before they leave the service.
 */
public final class SecretMasker {

    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\"[^\"]*(?:api[_-]?key|apikey|token|password|passwd|secret|authorization)[^\"]*\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)",
            Pattern.CASE_INSENSITIVE);

    private SecretMasker() {
    }

    public static String mask(String json) {
        if (json == null) {
            return null;
        }
        Matcher m = SECRET_FIELD.matcher(json);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"***\""));
    }
}
