-- Apply an entity resolution (newsquotes/entity_resolution.py) inside the load transaction.
-- Registered relations: resolved_names(label, name, entity_id), resolved_entities(entity_id, name, label),
-- resolved_aliases(alias, entity_id, rule), gazetteer_mentions (entity_mentions columns).

UPDATE entity_mentions AS m SET entity_id = r.entity_id
FROM resolved_names r
WHERE r.label = m.label AND r.name = coalesce(m.local_name, m.text) AND m.entity_id <> r.entity_id;

UPDATE quotes AS q SET speaker_entity_id = r.entity_id
FROM resolved_names r
WHERE q.speaker_name IS NOT NULL AND r.label = q.speaker_type AND r.name = q.speaker_name
  AND q.speaker_entity_id IS DISTINCT FROM r.entity_id;

INSERT INTO entity_mentions BY NAME SELECT * FROM gazetteer_mentions;

DELETE FROM entities;

INSERT INTO entities BY NAME
SELECT entity_id, any_value(name) AS name, any_value(label) AS label
FROM resolved_entities
WHERE entity_id IN (SELECT entity_id FROM entity_mentions)
   OR entity_id IN (SELECT speaker_entity_id FROM quotes WHERE speaker_entity_id IS NOT NULL)
GROUP BY entity_id;

DELETE FROM entity_aliases;

INSERT INTO entity_aliases BY NAME
SELECT DISTINCT alias, entity_id, rule FROM resolved_aliases
WHERE entity_id IN (SELECT entity_id FROM entities);
