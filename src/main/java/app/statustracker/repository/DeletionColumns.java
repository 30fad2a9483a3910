package app.statustracker.repository;

import app.statustracker.DeletionLog;
import app.statustracker.DeletionStep;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** The deletion log's enums, stored as their lowercase API values like every other enum (see {@link EnumColumns}). */
public final class DeletionColumns {

    private DeletionColumns() {
    }

    @Converter(autoApply = true)
    public static class SourceColumn implements AttributeConverter<DeletionLog.Source, String> {
        @Override
        public String convertToDatabaseColumn(DeletionLog.Source value) {
            return value == null ? null : value.value();
        }

        @Override
        public DeletionLog.Source convertToEntityAttribute(String value) {
            return value == null ? null : DeletionLog.Source.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class LogStatusColumn implements AttributeConverter<DeletionLog.Status, String> {
        @Override
        public String convertToDatabaseColumn(DeletionLog.Status value) {
            return value == null ? null : value.value();
        }

        @Override
        public DeletionLog.Status convertToEntityAttribute(String value) {
            return value == null ? null : DeletionLog.Status.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class ServiceColumn implements AttributeConverter<DeletionStep.Service, String> {
        @Override
        public String convertToDatabaseColumn(DeletionStep.Service value) {
            return value == null ? null : value.value();
        }

        @Override
        public DeletionStep.Service convertToEntityAttribute(String value) {
            return value == null ? null : DeletionStep.Service.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class StepStatusColumn implements AttributeConverter<DeletionStep.Status, String> {
        @Override
        public String convertToDatabaseColumn(DeletionStep.Status value) {
            return value == null ? null : value.value();
        }

        @Override
        public DeletionStep.Status convertToEntityAttribute(String value) {
            return value == null ? null : DeletionStep.Status.parse(value).orElseThrow();
        }
    }
}
