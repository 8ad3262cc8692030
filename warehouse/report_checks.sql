-- The report's check pass rates over every recorded run: per suite and expectation (column: the outlet of drift
-- checks, the checked column of others), how many runs checked it and how many of them passed.
SELECT suite, expectation, column_name, any_value(severity) AS severity,
       count(*) AS checks, count(*) FILTER (WHERE success) AS passed,
       count(*) FILTER (WHERE success) / count(*) AS pass_rate
FROM dq_results
GROUP BY suite, expectation, column_name
ORDER BY pass_rate, suite, expectation, column_name NULLS FIRST;
