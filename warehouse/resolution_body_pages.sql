-- The first article id of each page of $page articles (in article_id order) that resolution_bodies reads.
SELECT article_id
FROM (
    SELECT article_id, row_number() OVER (ORDER BY article_id) AS rn
    FROM articles
    WHERE language IS NULL OR language = 'en'
)
WHERE (rn - 1) % $page = 0
ORDER BY article_id;
