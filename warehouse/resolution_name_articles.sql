-- Entity resolution: how many distinct articles name each (label, key), counted in SQL so that the article ids
-- of the whole warehouse need not be held in Python. Registered relations:
--   name_keys(label, name, key): the key (ids.entity_key normal form) of each (label, per-article name);
--   gazetteer_found(article_id, label, key): the gazetteer's matches (empty before the gazetteer pass).
WITH named AS (
    SELECT label, coalesce(local_name, text) AS name, article_id
    FROM entity_mentions
    WHERE method IS DISTINCT FROM 'gazetteer'
    UNION ALL
    SELECT speaker_type, speaker_name, article_id
    FROM quotes
    WHERE speaker_name IS NOT NULL AND speaker_type IS NOT NULL
),
keyed AS (
    SELECT k.label, k.key, n.article_id FROM named n JOIN name_keys k ON k.label = n.label AND k.name = n.name
    UNION ALL
    SELECT label, key, article_id FROM gazetteer_found
)
SELECT label, key, count(DISTINCT article_id) AS articles FROM keyed GROUP BY label, key;
