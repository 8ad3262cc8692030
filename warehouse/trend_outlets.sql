-- Every outlet's rows of the last $runs runs (oldest first), for per-outlet series.
WITH recent AS (
    SELECT run_id FROM pipeline_runs ORDER BY started_at DESC, run_id DESC LIMIT $runs
)
SELECT m.outlet, m.run_id, m.started_at, m.articles, m.quotes, m.quotes_attributed, m.quotes_per_article,
       m.attributed_share
FROM run_metrics m JOIN recent USING (run_id)
WHERE m.scope = 'outlet'
ORDER BY m.outlet, m.started_at, m.run_id;
