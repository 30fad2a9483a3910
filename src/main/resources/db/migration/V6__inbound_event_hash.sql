-- The reconciler asks, every minute, which events the log holds for the torrents Sonarr and Radarr list; without
-- this index that is a scan of the whole event log (only unmatched events had a hash index).
CREATE INDEX inbound_event_hash_idx ON inbound_event (download_hash) WHERE download_hash IS NOT NULL;
