package app.statustracker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretMaskerTest {

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
