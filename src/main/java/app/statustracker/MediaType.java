package app.statustracker;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

public enum MediaType {
    MOVIE, TV;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Jellyseerr and the *arrs say "tv" for series; everything else (films, specials) is a movie. */
    public static MediaType fromUpstream(String value) {
        return value != null && value.trim().equalsIgnoreCase("tv") ? TV : MOVIE;
    }
}
