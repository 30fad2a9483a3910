package app.statustracker.repository;

import app.statustracker.EventOutcome;
import app.statustracker.MediaType;
import app.statustracker.RequestState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Enums are stored as their lowercase API values, so SQL and JSON read the same. */
public final class EnumColumns {

    private EnumColumns() {
    }

    @Converter(autoApply = true)
    public static class StateColumn implements AttributeConverter<RequestState, String> {
        @Override
        public String convertToDatabaseColumn(RequestState state) {
            return state == null ? null : state.value();
        }

        @Override
        public RequestState convertToEntityAttribute(String value) {
            return value == null ? null : RequestState.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class MediaTypeColumn implements AttributeConverter<MediaType, String> {
        @Override
        public String convertToDatabaseColumn(MediaType type) {
            return type == null ? null : type.value();
        }

        @Override
        public MediaType convertToEntityAttribute(String value) {
            return value == null ? null : MediaType.fromUpstream(value);
        }
    }

    @Converter(autoApply = true)
    public static class OutcomeColumn implements AttributeConverter<EventOutcome, String> {
        @Override
        public String convertToDatabaseColumn(EventOutcome outcome) {
            return outcome == null ? null : outcome.value();
        }

        @Override
        public EventOutcome convertToEntityAttribute(String value) {
            return value == null ? null : EventOutcome.fromValue(value);
        }
    }
}
