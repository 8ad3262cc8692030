-- The report's runs over time, oldest first: every run's status beside its key figures (at most $runs runs).
SELECT * FROM (
    SELECT p.run_id, p.started_at, p.status, p.duration_s, p.checks_passed, p.checks_failed,
           coalesce(m.articles, p.articles_loaded) AS articles, m.quotes, m.quotes_attributed,
           m.quotes_per_article, m.attributed_share, m.articles_rejected, m.rows_quarantined
    FROM pipeline_runs p LEFT JOIN run_metrics m ON m.run_id = p.run_id AND m.scope = 'run'
    ORDER BY p.started_at DESC, p.run_id DESC
    LIMIT $runs
) ORDER BY started_at, run_id;
