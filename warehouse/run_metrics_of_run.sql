-- The run_metrics rows of one run: the run row first, then its outlets by name. Parameter: $run_id.
SELECT * FROM run_metrics WHERE run_id = $run_id ORDER BY scope = 'outlet', outlet;
