-- Apply the quote clusters (registered relation quote_cluster_map(quote_id, quote_cluster_id)).
UPDATE quotes AS q SET quote_cluster_id = c.quote_cluster_id
FROM quote_cluster_map c
WHERE c.quote_id = q.quote_id AND q.quote_cluster_id IS DISTINCT FROM c.quote_cluster_id;
