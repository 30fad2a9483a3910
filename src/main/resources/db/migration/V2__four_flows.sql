-- The four flows: where qBittorrent put a finished download, and lookups by the ids Sonarr and Jellyfin send.
ALTER TABLE media_request ADD COLUMN download_path VARCHAR(2000);
CREATE INDEX episode_tvdb_id_idx ON episode (episode_tvdb_id);
-- Unmatched Jellyfin episode webhooks wait for the request that learns their series' Jellyfin id.
ALTER TABLE inbound_event ADD COLUMN jellyfin_id VARCHAR(64);
CREATE INDEX inbound_event_unmatched_jellyfin_idx ON inbound_event (jellyfin_id) WHERE outcome = 'unmatched';
