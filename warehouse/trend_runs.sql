-- The last $runs runs, oldest first: status and duration (pipeline_runs) beside their key figures (run_metrics).
SELECT * FROM (
    SELECT p.run_id, p.started_at, p.status, p.duration_s, p.checks_passed, p.checks_failed,
           m.articles, m.words, m.quotes, m.quotes_attributed, m.quotes_per_article, m.attributed_share,
           m.articles_rejected, m.rows_quarantined, m.nlp_seconds
    FROM pipeline_runs p LEFT JOIN run_metrics m ON m.run_id = p.run_id AND m.scope = 'run'
    ORDER BY p.started_at DESC, p.run_id DESC
    LIMIT $runs
) ORDER BY started_at, run_id;
