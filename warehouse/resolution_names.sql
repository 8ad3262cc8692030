-- Entity resolution input: every (label, per-article name) with the article naming it and how often.
SELECT label, coalesce(local_name, text) AS name, article_id, count(*) AS n
FROM entity_mentions
WHERE method IS DISTINCT FROM 'gazetteer'
GROUP BY ALL
UNION ALL
SELECT speaker_type, speaker_name, article_id, count(*)
FROM quotes
WHERE speaker_name IS NOT NULL AND speaker_type IS NOT NULL
GROUP BY ALL;
