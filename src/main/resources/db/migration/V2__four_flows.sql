-- The four flows: where qBittorrent put a finished download, and lookups by the ids Sonarr and Jellyfin send.
ALTER TABLE media_request ADD COLUMN download_path VARCHAR(2000);
CREATE INDEX episode_tvdb_id_idx ON episode (episode_tvdb_id);
