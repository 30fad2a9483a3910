package app.statustracker.ingest;

/** What an adapter made of a readable payload: a domain event, or a reason to ignore it. */
public sealed interface Interpretation {

    /** The upstream's event type, when the payload names one. */
    String eventType();

    String dedupeKey();

    record Track(DomainEvent event) implements Interpretation {
        @Override
        public String eventType() {
            return event.eventType();
        }

        @Override
        public String dedupeKey() {
            return event.dedupeKey();
        }
    }

    record Ignore(String eventType, String dedupeKey, String reason, MediaKeys keys) implements Interpretation {
    }
}
