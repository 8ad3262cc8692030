-- The key figures of one run into run_metrics: one row per outlet of the articles it loaded or quarantined, and
-- one row for the run overall. Run after the run's load and bookkeeping, in the same warehouse copy.
-- Parameters: $run_id, $started_at, $nlp_seconds. Replaces the run's rows (a retried task writes them once).

DELETE FROM run_metrics WHERE run_id = $run_id;

CREATE OR REPLACE TEMP TABLE run_articles AS
SELECT article_id, coalesce(outlet, '(unknown)') AS outlet, word_count, true AS loaded
FROM articles WHERE run_id = $run_id
UNION ALL
SELECT article_id, coalesce(outlet, '(unknown)') AS outlet, word_count, false AS loaded
FROM quarantine_articles WHERE quarantine_run_id = $run_id;

INSERT INTO run_metrics BY NAME
WITH loaded AS (
    SELECT outlet, count(*) FILTER (WHERE loaded) AS articles,
           coalesce(sum(word_count) FILTER (WHERE loaded), 0) AS words
    FROM run_articles GROUP BY outlet
), quoted AS (
    SELECT a.outlet, count(*) AS quotes, count(q.speaker_name) AS quotes_attributed
    FROM quotes q JOIN run_articles a ON a.article_id = q.article_id AND a.loaded
    GROUP BY a.outlet
), quarantined AS (
    SELECT a.outlet, count(*) AS n FROM (
        SELECT article_id FROM quarantine_articles WHERE quarantine_run_id = $run_id
        UNION ALL SELECT article_id FROM quarantine_quotes WHERE quarantine_run_id = $run_id
        UNION ALL SELECT article_id FROM quarantine_entity_mentions WHERE quarantine_run_id = $run_id
    ) r JOIN (SELECT DISTINCT article_id, outlet FROM run_articles) a USING (article_id)
    GROUP BY a.outlet
)
SELECT $run_id AS run_id, 'outlet' AS scope, l.outlet, $started_at AS started_at,
       l.articles, l.words, coalesce(q.quotes, 0) AS quotes, coalesce(q.quotes_attributed, 0) AS quotes_attributed,
       coalesce(q.quotes, 0) / nullif(l.articles, 0) AS quotes_per_article,
       q.quotes_attributed / nullif(q.quotes, 0) AS attributed_share,
       NULL AS articles_rejected, coalesce(z.n, 0) AS rows_quarantined, NULL AS nlp_seconds
FROM loaded l LEFT JOIN quoted q USING (outlet) LEFT JOIN quarantined z USING (outlet);

INSERT INTO run_metrics BY NAME
SELECT $run_id AS run_id, 'run' AS scope, NULL AS outlet, $started_at AS started_at,
       coalesce(sum(articles), 0) AS articles, coalesce(sum(words), 0) AS words,
       coalesce(sum(quotes), 0) AS quotes, coalesce(sum(quotes_attributed), 0) AS quotes_attributed,
       sum(quotes) / nullif(sum(articles), 0) AS quotes_per_article,
       sum(quotes_attributed) / nullif(sum(quotes), 0) AS attributed_share,
       (SELECT count(DISTINCT source_path) FROM ingest_errors WHERE run_id = $run_id AND stage <> 'discover')
           AS articles_rejected,
       (SELECT count(*) FROM quarantine_log WHERE run_id = $run_id) AS rows_quarantined,
       $nlp_seconds AS nlp_seconds
FROM run_metrics WHERE run_id = $run_id AND scope = 'outlet';

DROP TABLE run_articles;
