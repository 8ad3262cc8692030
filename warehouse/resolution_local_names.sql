-- A generic ministry mention whose country precedes it takes the country's ministry as its per-article name.
-- Registered relation: ministry_names(mention_id, local_name).
UPDATE entity_mentions AS m SET local_name = n.local_name
FROM ministry_names n
WHERE m.mention_id = n.mention_id AND m.local_name IS DISTINCT FROM n.local_name;
