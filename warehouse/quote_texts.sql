-- Every quote's text, for clustering the same statement across articles.
SELECT quote_id, quote_text FROM quotes ORDER BY quote_id;
