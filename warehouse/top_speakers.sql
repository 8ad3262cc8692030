-- The most quoted named speakers, with how many quotes and articles.
SELECT speaker_name, speaker_type, count(*) AS quotes, count(DISTINCT article_id) AS articles
FROM quotes
WHERE speaker_name IS NOT NULL
GROUP BY speaker_name, speaker_type
ORDER BY quotes DESC, speaker_name
LIMIT 10;
