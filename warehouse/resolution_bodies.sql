-- Bodies of the articles the NLP ran on (English or unknown language), with their model mentions: one page,
-- the article ids in [$lo, $hi) ($hi NULL: no upper bound), in article_id order. Pages keep the bodies in
-- memory (Python's and DuckDB's) a page at a time; resolution_body_pages gives the page bounds.
WITH page AS (
    SELECT article_id, body
    FROM articles
    WHERE (language IS NULL OR language = 'en') AND article_id >= $lo AND ($hi IS NULL OR article_id < $hi)
),
spans AS (
    SELECT article_id,
           list(struct_pack(s := start_char, e := end_char, id := mention_id, l := label)) AS spans
    FROM entity_mentions
    WHERE method IS DISTINCT FROM 'gazetteer' AND article_id >= $lo AND ($hi IS NULL OR article_id < $hi)
    GROUP BY article_id
)
SELECT p.article_id, p.body, s.spans
FROM page p LEFT JOIN spans s USING (article_id)
ORDER BY p.article_id;
