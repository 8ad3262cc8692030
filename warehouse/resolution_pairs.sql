-- Every (label, name) as stored in mentions and quotes: each is mapped to its canonical entity.
SELECT DISTINCT label, coalesce(local_name, text) AS name FROM entity_mentions
UNION
SELECT DISTINCT speaker_type, speaker_name FROM quotes WHERE speaker_name IS NOT NULL AND speaker_type IS NOT NULL;
