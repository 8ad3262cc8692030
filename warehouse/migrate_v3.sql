-- Schema version 3 -> 4: quotes.speaker_text, the speaker mention as written (NULL in rows loaded before).
-- Added last, as in schema.sql, so a migrated warehouse has the same column order as a new one.
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS speaker_text VARCHAR;
ALTER TABLE quarantine_quotes ADD COLUMN IF NOT EXISTS speaker_text VARCHAR;
