-- When the download of a request last made progress (qBittorrent's polled figures). The downloading time-out counts
-- from the later of this and state_changed_at, so that a slow but moving download never times out.
ALTER TABLE media_request ADD COLUMN progress_at TIMESTAMP(6) WITH TIME ZONE;
