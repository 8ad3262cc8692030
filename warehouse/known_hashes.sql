-- Content hashes of the loaded articles: a file whose hash is unchanged is not processed again.
SELECT article_id, content_sha256 FROM articles;
