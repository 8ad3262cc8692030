-- Duplicate signatures of the loaded articles, first copies first: the index a run's articles are matched against.
SELECT s.article_id, a.content_sha256, s.body_sha256, s.minhash, a.duplicate_of
FROM article_signatures s JOIN articles a USING (article_id)
ORDER BY a.duplicate_of IS NOT NULL, a.ingested_at, a.source_path, a.record_index;
