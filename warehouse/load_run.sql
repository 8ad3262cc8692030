-- Publish one run's Parquet partitions into the warehouse, inside one transaction (opened by the caller).
-- Parameters: $articles, $entities, $entity_mentions, $quotes, $boilerplate: globs of the run's part files.
-- An article that was processed again replaces all of its earlier rows.

DELETE FROM quotes WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM entity_mentions WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM boilerplate WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));
DELETE FROM articles WHERE article_id IN (SELECT article_id FROM read_parquet($articles, hive_partitioning = false));

INSERT OR IGNORE INTO entities BY NAME
SELECT entity_id, any_value(name) AS name, any_value(label) AS label
FROM read_parquet($entities, hive_partitioning = false)
GROUP BY entity_id;

INSERT INTO articles BY NAME SELECT * FROM read_parquet($articles, hive_partitioning = false);
INSERT INTO entity_mentions BY NAME SELECT * FROM read_parquet($entity_mentions, hive_partitioning = false);
INSERT INTO quotes BY NAME SELECT * FROM read_parquet($quotes, hive_partitioning = false);
INSERT INTO boilerplate BY NAME SELECT * FROM read_parquet($boilerplate, hive_partitioning = false);

-- entities no longer mentioned or quoted anywhere (their articles changed) are dropped
DELETE FROM entities
WHERE entity_id NOT IN (SELECT entity_id FROM entity_mentions)
  AND entity_id NOT IN (SELECT speaker_entity_id FROM quotes WHERE speaker_entity_id IS NOT NULL);
