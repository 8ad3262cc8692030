-- Schema version 4 -> 5: run_metrics (created by schema.sql, which runs before the migrations), back-filled for the
-- runs recorded before it: a run row from pipeline_runs, and outlet rows from the articles each run still holds
-- (an article loaded again later counts for the later run). NLP seconds were not recorded: NULL.
INSERT INTO run_metrics BY NAME
SELECT a.run_id, 'outlet' AS scope, coalesce(a.outlet, '(unknown)') AS outlet, r.started_at,
       count(*) AS articles, sum(a.word_count) AS words,
       coalesce(sum(q.quotes), 0) AS quotes, coalesce(sum(q.attributed), 0) AS quotes_attributed,
       coalesce(sum(q.quotes), 0) / count(*) AS quotes_per_article,
       sum(q.attributed) / nullif(sum(q.quotes), 0) AS attributed_share,
       NULL AS articles_rejected, 0 AS rows_quarantined, NULL AS nlp_seconds
FROM articles a JOIN pipeline_runs r USING (run_id)
LEFT JOIN (SELECT article_id, count(*) AS quotes, count(speaker_name) AS attributed FROM quotes GROUP BY article_id) q
    USING (article_id)
WHERE a.run_id NOT IN (SELECT run_id FROM run_metrics)
GROUP BY a.run_id, coalesce(a.outlet, '(unknown)'), r.started_at;

INSERT INTO run_metrics BY NAME
SELECT run_id, 'run' AS scope, NULL AS outlet, started_at, articles_loaded AS articles, words, quotes,
       quotes_attributed, quotes / nullif(articles_loaded, 0) AS quotes_per_article,
       quotes_attributed / nullif(quotes, 0) AS attributed_share, articles_rejected, rows_quarantined,
       NULL AS nlp_seconds
FROM pipeline_runs
WHERE run_id NOT IN (SELECT run_id FROM run_metrics WHERE scope = 'run');
