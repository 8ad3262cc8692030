-- The report's outlets, as the warehouse holds them now: articles, quotes, quotes with a named speaker.
SELECT coalesce(a.outlet, '(unknown)') AS outlet,
       count(DISTINCT a.article_id) AS articles,
       count(q.quote_id) AS quotes,
       count(q.speaker_name) AS quotes_attributed,
       count(q.speaker_name) / nullif(count(q.quote_id), 0) AS attributed_share
FROM articles a LEFT JOIN quotes q USING (article_id)
GROUP BY ALL
ORDER BY quotes DESC, outlet;
