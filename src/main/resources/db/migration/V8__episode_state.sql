-- Shoko's file events look for episodes waiting for a match (importing, anime_matching, match_failed) by path; a
-- library rescan in Shoko sends one per file. Without this index each is a scan of every episode ever tracked.
CREATE INDEX episode_state_idx ON episode (state);
