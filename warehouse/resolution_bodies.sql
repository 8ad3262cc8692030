-- Bodies of the articles the NLP ran on (English or unknown language), with their model mentions.
WITH spans AS (
    SELECT article_id,
           list(struct_pack(s := start_char, e := end_char, id := mention_id, l := label)) AS spans
    FROM entity_mentions WHERE method IS DISTINCT FROM 'gazetteer' GROUP BY article_id
)
SELECT a.article_id, a.body, s.spans
FROM articles a LEFT JOIN spans s USING (article_id)
WHERE a.language IS NULL OR a.language = 'en'
ORDER BY a.article_id;
