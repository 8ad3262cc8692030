-- Each outlet of one run beside its trailing runs: the outlet's rows of the $window latest earlier runs that
-- loaded articles of it, pooled (sums, so a big run weighs more than a small one). Parameters: $run_id, $window.
WITH current_run AS (
    SELECT * FROM run_metrics WHERE run_id = $run_id AND scope = 'outlet'
), earlier AS (
    SELECT m.outlet, m.run_id, m.articles, m.quotes, m.quotes_attributed,
           row_number() OVER (PARTITION BY m.outlet ORDER BY m.started_at DESC, m.run_id DESC) AS back
    FROM run_metrics m JOIN current_run c ON m.outlet = c.outlet
    WHERE m.scope = 'outlet' AND m.run_id <> $run_id AND m.articles > 0 AND m.started_at <= c.started_at
)
SELECT c.outlet, c.articles, c.quotes, c.quotes_attributed,
       count(e.run_id) AS baseline_runs,
       coalesce(sum(e.articles), 0) AS baseline_articles,
       coalesce(sum(e.quotes), 0) AS baseline_quotes,
       coalesce(sum(e.quotes_attributed), 0) AS baseline_attributed
FROM current_run c LEFT JOIN earlier e ON e.outlet = c.outlet AND e.back <= $window
GROUP BY c.outlet, c.articles, c.quotes, c.quotes_attributed
ORDER BY c.outlet;
