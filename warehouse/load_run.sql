-- Publish one run's Parquet partitions into the warehouse, inside one transaction (opened by the caller).
-- Parameters: $articles, $entities, $entity_mentions, $quotes, $boilerplate, $quarantine_log: globs of the
-- run's part files. An article processed again replaces all of its earlier rows; rows listed in the run's
-- quarantine log go to the quarantine_<table> tables instead of the main ones.

DELETE FROM quotes WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM entity_mentions WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM boilerplate WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM articles WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));

CREATE OR REPLACE TEMP TABLE run_quarantine AS
SELECT * FROM read_parquet($quarantine_log, hive_partitioning = false);

INSERT INTO quarantine_log BY NAME SELECT * FROM run_quarantine;

INSERT INTO quarantine_articles BY NAME
SELECT p.*, q.failed_rules, q.run_id AS quarantine_run_id
FROM read_parquet($articles, hive_partitioning = false) p
JOIN run_quarantine q ON q.table_name = 'articles' AND q.row_key = p.article_id;

INSERT INTO quarantine_quotes BY NAME
SELECT p.*, q.failed_rules, q.run_id AS quarantine_run_id
FROM read_parquet($quotes, hive_partitioning = false) p
JOIN run_quarantine q ON q.table_name = 'quotes' AND q.row_key = p.quote_id;

INSERT INTO quarantine_entity_mentions BY NAME
SELECT p.*, q.failed_rules, q.run_id AS quarantine_run_id
FROM read_parquet($entity_mentions, hive_partitioning = false) p
JOIN run_quarantine q ON q.table_name = 'entity_mentions' AND q.row_key = p.mention_id;

INSERT OR IGNORE INTO entities BY NAME
SELECT entity_id, any_value(name) AS name, any_value(label) AS label
FROM read_parquet($entities, hive_partitioning = false)
GROUP BY entity_id;

INSERT INTO articles BY NAME
SELECT * FROM read_parquet($articles, hive_partitioning = false)
WHERE article_id NOT IN (SELECT row_key FROM run_quarantine WHERE table_name = 'articles');

INSERT INTO entity_mentions BY NAME
SELECT * FROM read_parquet($entity_mentions, hive_partitioning = false)
WHERE mention_id NOT IN (SELECT row_key FROM run_quarantine WHERE table_name = 'entity_mentions');

INSERT INTO quotes BY NAME
SELECT * FROM read_parquet($quotes, hive_partitioning = false)
WHERE quote_id NOT IN (SELECT row_key FROM run_quarantine WHERE table_name = 'quotes');

INSERT INTO boilerplate BY NAME
SELECT * FROM read_parquet($boilerplate, hive_partitioning = false)
WHERE article_id NOT IN (SELECT row_key FROM run_quarantine WHERE table_name = 'articles');

INSERT INTO article_signatures BY NAME
SELECT * FROM read_parquet($article_signatures, hive_partitioning = false)
WHERE article_id NOT IN (SELECT row_key FROM run_quarantine WHERE table_name = 'articles');

-- duplicate_of always names a first copy that is loaded: copies of a quarantined first copy fall back to
-- the earliest of them (which becomes the first copy) ...
UPDATE articles AS a SET duplicate_of = CASE WHEN o.first_copy = a.article_id THEN NULL ELSE o.first_copy END,
    duplicate_kind = CASE WHEN o.first_copy = a.article_id THEN NULL ELSE a.duplicate_kind END,
    duplicate_similarity = CASE WHEN o.first_copy = a.article_id THEN NULL ELSE a.duplicate_similarity END
FROM (
    SELECT article_id,
           first_value(article_id) OVER (PARTITION BY duplicate_of ORDER BY source_path, record_index) AS first_copy
    FROM articles
    WHERE duplicate_of IS NOT NULL AND duplicate_of NOT IN (SELECT article_id FROM articles)
) o
WHERE a.article_id = o.article_id;

-- ... and copies of an article that has itself become a copy (its text changed) follow it to its first copy.
UPDATE articles AS a SET duplicate_of = f.duplicate_of
FROM articles f
WHERE a.duplicate_of = f.article_id AND f.duplicate_of IS NOT NULL AND f.duplicate_of <> a.article_id;

-- entities no longer mentioned or quoted anywhere (their articles changed) are dropped
DELETE FROM entities
WHERE entity_id NOT IN (SELECT entity_id FROM entity_mentions)
  AND entity_id NOT IN (SELECT speaker_entity_id FROM quotes WHERE speaker_entity_id IS NOT NULL);

DROP TABLE run_quarantine;
