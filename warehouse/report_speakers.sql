-- The report's top $top named speakers of each outlet (by quotes, then name).
WITH counted AS (
    SELECT coalesce(a.outlet, '(unknown)') AS outlet, q.speaker_name, count(*) AS quotes
    FROM quotes q JOIN articles a USING (article_id)
    WHERE q.speaker_name IS NOT NULL
    GROUP BY coalesce(a.outlet, '(unknown)'), q.speaker_name
)
SELECT outlet, speaker_name, quotes FROM (
    SELECT *, row_number() OVER (PARTITION BY outlet ORDER BY quotes DESC, speaker_name) AS k FROM counted
)
WHERE k <= $top
ORDER BY outlet, quotes DESC, speaker_name;
