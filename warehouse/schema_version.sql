-- The warehouse's schema version.
SELECT max(schema_version) AS schema_version FROM schema_info;
