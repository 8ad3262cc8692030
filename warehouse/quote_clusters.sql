-- Apply the quote clusters. Registered relations:
--   quote_forms(rn, form_idx): one row per quote, rn its rank in quote_id order (from 1), form_idx the index of
--     its distinct normal form (-1 for a short quote);
--   form_clusters(form_idx, cid): the cluster id of each distinct normal form.
-- A short quote is a cluster of its own: its id is quote_clusters.cluster_id('quote' || chr(31) || quote_id).
UPDATE quotes AS q SET quote_cluster_id = c.cid
FROM (
    SELECT o.quote_id,
           CASE WHEN m.form_idx < 0
                THEN left(sha256('quote-cluster' || chr(31) || 'quote' || chr(31) || o.quote_id), 16)
                ELSE f.cid END AS cid
    FROM (SELECT quote_id, row_number() OVER (ORDER BY quote_id) AS rn FROM quotes) o
    JOIN quote_forms m USING (rn)
    LEFT JOIN form_clusters f USING (form_idx)
) c
WHERE c.quote_id = q.quote_id AND q.quote_cluster_id IS DISTINCT FROM c.cid;
