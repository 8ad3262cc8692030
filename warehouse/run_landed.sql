-- Did the run's load commit? Its data-quality rows are written in the same transaction as its data.
SELECT count(*) AS results FROM dq_results WHERE run_id = $run_id;
