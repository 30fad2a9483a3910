-- Ids of the rows every event writes come from sequences in blocks of 50, so that Hibernate knows a new row's id
-- without a round trip and can send the event's inserts together, batched, at flush. Rows inserted by plain SQL
-- take their id from the same sequence, so the two never collide.
CREATE SEQUENCE inbound_event_ids INCREMENT BY 50;
SELECT setval('inbound_event_ids', COALESCE((SELECT max(id) FROM inbound_event), 0) + 100);
ALTER TABLE inbound_event ALTER COLUMN id DROP IDENTITY;
ALTER TABLE inbound_event ALTER COLUMN id SET DEFAULT nextval('inbound_event_ids');
ALTER SEQUENCE inbound_event_ids OWNED BY inbound_event.id;

CREATE SEQUENCE timeline_event_ids INCREMENT BY 50;
SELECT setval('timeline_event_ids', COALESCE((SELECT max(id) FROM timeline_event), 0) + 100);
ALTER TABLE timeline_event ALTER COLUMN id DROP IDENTITY;
ALTER TABLE timeline_event ALTER COLUMN id SET DEFAULT nextval('timeline_event_ids');
ALTER SEQUENCE timeline_event_ids OWNED BY timeline_event.id;

CREATE SEQUENCE episode_ids INCREMENT BY 50;
SELECT setval('episode_ids', COALESCE((SELECT max(id) FROM episode), 0) + 100);
ALTER TABLE episode ALTER COLUMN id DROP IDENTITY;
ALTER TABLE episode ALTER COLUMN id SET DEFAULT nextval('episode_ids');
ALTER SEQUENCE episode_ids OWNED BY episode.id;

-- stream_event keeps its IDENTITY ids: the SSE hub reads the sequence's last value as the highest id ever issued,
-- which must stay true for Last-Event-ID resumes (a block of 50 would make most real ids look unknown).
