-- Has the run its pipeline_runs row?
SELECT count(*) AS runs FROM pipeline_runs WHERE run_id = $run_id;
