package app.statustracker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void secretsInFreeTextAreMaskedForLogLines() {
        // What an upstream error or an exception may carry: a query string, a header, a credential, JSON.
        String text = "GET http://jellyfin:8096/Items?api_key=0123abcd&limit=5 failed; X-Api-Key: 5a4b3c2d;"
                + " Authorization: Bearer eyJhbGci.x.y; {\"password\": \"hunter2\"} token=t0k3n";
        String masked = SecretMasker.maskText(text);

        for (String secret : java.util.List.of("0123abcd", "5a4b3c2d", "eyJhbGci.x.y", "hunter2", "t0k3n")) {
            org.junit.jupiter.api.Assertions.assertFalse(masked.contains(secret), secret + " in: " + masked);
        }
        assertEquals("GET http://jellyfin:8096/Items?api_key=***&limit=5 failed; X-Api-Key: ***;"
                + " Authorization: Bearer ***; {\"password\": \"***\"} token=***", masked);
        // Our own hints name the settings, never values: they stay readable.
        String hint = "qbittorrent login: the username or password was refused; check QBIT_USERNAME and QBIT_PASSWORD";
        assertEquals(hint, SecretMasker.maskText(hint));
        assertEquals("IllegalStateException: apikey=***",
                SecretMasker.describe(new IllegalStateException("apikey=abc")));
    }

    @Test
    void secretLookingFieldsAreMaskedWhateverTheirCasingOrType() {
        String raw = "{\"apiKey\":\"abc123\",\"X-Api-Key\":\"k2\",\"Authorization\":\"Bearer s3cr3t\","
                + "\"qbit_password\":\"hunter2\",\"token\":42,\"nested\":{\"access_token\":\"t0k\"},"
                + "\"title\":\"Token of Love\",\"requestedBy_username\":\"mika\"}";
        String masked = SecretMasker.mask(raw);
        for (String secret : new String[] { "abc123", "k2", "s3cr3t", "hunter2", "42", "t0k" }) {
            assertFalse(masked.contains(secret), secret + " leaked: " + masked);
        }
        assertTrue(masked.contains("\"title\":\"Token of Love\""), "values that merely mention a word stay");
        assertTrue(masked.contains("\"requestedBy_username\":\"mika\""));
    }

    @Test
    void escapedQuotesInsideASecretDoNotEndTheMask() {
        assertEquals("{\"password\":\"***\",\"a\":1}", SecretMasker.mask("{\"password\":\"p\\\"w\",\"a\":1}"));
    }

    @Test
    void arrayAndObjectValuesAreMaskedWhole() {
        String masked = SecretMasker.mask("{\"tokens\":[\"aaa\",\"bbb\"],\"password\":{\"v\":\"x y\"},\"list\":[{\"apikey\":\"zzz\"}]}");
        assertEquals("{\"tokens\":\"***\",\"password\":\"***\",\"list\":[{\"apikey\":\"***\"}]}", masked);
    }

    @Test
    void textThatIsNotJsonIsMaskedByPattern() {
        String masked = SecretMasker.mask("{\"api_key\": \"k1\", broken");
        assertFalse(masked.contains("k1"), masked);
    }

    @Test
    void payloadsWithoutSecretsAreUnchanged() {
        String body = "{\"notification_type\":\"MEDIA_PENDING\",\"media\":{\"tmdbId\":\"603\"}}";
        assertEquals(body, SecretMasker.mask(body));
        assertEquals(null, SecretMasker.mask(null));
    }
}
