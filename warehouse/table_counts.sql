SELECT
    (SELECT count(*) FROM articles) AS articles,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM entity_mentions) AS entity_mentions,
    (SELECT count(*) FROM quotes) AS quotes,
    (SELECT count(*) FROM boilerplate) AS boilerplate;
