-- Duplicate signatures of the articles in some of a run's part files (a batch taken over from an
-- interrupted run), in the order they were processed: (article_id, content_sha256, body_sha256, minhash,
-- duplicate_of), as warehouse/signatures.sql gives them for loaded articles.
SELECT a.article_id, a.content_sha256, s.body_sha256, s.minhash, a.duplicate_of
FROM read_parquet($articles, hive_partitioning = false, filename = true) a
JOIN read_parquet($signatures, hive_partitioning = false) s USING (article_id)
ORDER BY a.filename, a.source_path, a.record_index;
