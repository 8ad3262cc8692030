-- Cross-table rules checked inside the load transaction; any violation rolls the load back.
-- One row per rule: (rule, violations).
SELECT 'quotes.article_exists' AS rule, count(*) AS violations
FROM quotes q WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = q.article_id)
UNION ALL
SELECT 'entity_mentions.article_exists', count(*)
FROM entity_mentions m WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = m.article_id)
UNION ALL
SELECT 'entity_mentions.entity_exists', count(*)
FROM entity_mentions m WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = m.entity_id)
UNION ALL
SELECT 'quotes.speaker_entity_exists', count(*)
FROM quotes q
WHERE q.speaker_entity_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = q.speaker_entity_id)
UNION ALL
SELECT 'boilerplate.article_exists', count(*)
FROM boilerplate b WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = b.article_id)
UNION ALL
SELECT 'articles.unique_content', count(*) - count(DISTINCT content_sha256)
FROM articles WHERE duplicate_of IS NULL
UNION ALL
SELECT 'articles.duplicate_of_exists', count(*)
FROM articles d
WHERE d.duplicate_of IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = d.duplicate_of AND a.duplicate_of IS NULL)
UNION ALL
SELECT 'entity_aliases.entity_exists', count(*)
FROM entity_aliases x WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = x.entity_id);
