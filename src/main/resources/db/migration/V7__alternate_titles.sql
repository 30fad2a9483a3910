-- Other titles of the media (Sonarr's and Radarr's alternate titles: romaji, English, synonyms), one per line. The
-- Jellyfin verification's anime fallback looks for them when no provider id matches (Shokofin names items its way).
ALTER TABLE media_request ADD COLUMN alternate_titles VARCHAR(4000);
