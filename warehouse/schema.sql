-- The warehouse schema: the one definition of every table's columns and types.
-- newsquotes.schema derives the Arrow schemas of the Parquet lake from these statements,
-- so the lake and the DuckDB tables cannot disagree. Bump SCHEMA_VERSION in newsquotes/schema.py
-- whenever this file changes.

CREATE TABLE IF NOT EXISTS schema_info (
    schema_version INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS articles (
    article_id     VARCHAR PRIMARY KEY,      -- stable id of (source_path, record_index)
    source_path    VARCHAR NOT NULL,         -- input file relative to the input folder, POSIX separators
    record_index   INTEGER NOT NULL,         -- 0 for one-article files; the record number in .jsonl files
    title          VARCHAR NOT NULL,
    body           VARCHAR NOT NULL,         -- the text the NLP ran on; all offsets point into it
    content_sha256 VARCHAR NOT NULL,         -- sha256 of the source bytes: unchanged files are skipped
    word_count     INTEGER NOT NULL,
    outlet         VARCHAR,
    author         VARCHAR,
    published_at   TIMESTAMP,
    url            VARCHAR,
    language       VARCHAR,                  -- ISO 639-1 code detected from the body; NULL when unsure
    run_id         VARCHAR NOT NULL,
    ingested_at    TIMESTAMPTZ NOT NULL,
    duplicate_of   VARCHAR,                  -- article_id of the first copy when this article repeats it
    duplicate_kind VARCHAR,                  -- exact (same bytes or same body text) | near (MinHash/LSH)
    duplicate_similarity DOUBLE              -- estimated Jaccard similarity of the bodies' word shingles
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id VARCHAR PRIMARY KEY,           -- stable id of (label, canonical name)
    name      VARCHAR NOT NULL,              -- canonical name
    label     VARCHAR NOT NULL               -- spaCy label: PERSON, ORG, GPE, NORP, ...
);

CREATE TABLE IF NOT EXISTS entity_mentions (
    mention_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    entity_id  VARCHAR NOT NULL,
    text       VARCHAR NOT NULL,             -- body[start_char:end_char]
    label      VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    local_name VARCHAR,                      -- the entity's fullest name within the article (before resolution)
    method     VARCHAR                       -- ner (spaCy) | gazetteer (a known name found by the resolution step)
);

CREATE TABLE IF NOT EXISTS quotes (
    quote_id          VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    quote_text        VARCHAR NOT NULL,      -- body[start_char:end_char], without enclosing quotation marks
    kind              VARCHAR NOT NULL,      -- direct | partial | indirect
    speaker_name      VARCHAR,               -- fullest name of a person or organisation; NULL when none is named
    speaker_entity_id VARCHAR,               -- -> entities.entity_id
    speaker_type      VARCHAR,               -- PERSON | ORG | GPE | NORP; DESCRIPTION: no name, only speaker_text
    speaker_role      VARCHAR,               -- title or role as written ("Chinese Foreign Minister")
    cue               VARCHAR,               -- reporting verb ("said", "according to")
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    quote_cluster_id  VARCHAR,               -- one id per distinct statement across articles (set after the load)
    speaker_text      VARCHAR                -- the speaker mention as written ("he", "the company"); NULL when none
);

-- MinHash signature and body hash of every article: near-duplicate detection against earlier runs.
CREATE TABLE IF NOT EXISTS article_signatures (
    article_id  VARCHAR PRIMARY KEY,
    body_sha256 VARCHAR NOT NULL,            -- sha256 of the body text (exact copies with other bytes)
    minhash     UINTEGER[] NOT NULL          -- datasketch MinHash of the body's word 5-shingles
);

-- Every name that resolves to a canonical entity, and the rule that put it there (rebuilt after each load).
CREATE TABLE IF NOT EXISTS entity_aliases (
    alias     VARCHAR NOT NULL,              -- a name as found (entity name, mention text or alias-file entry)
    entity_id VARCHAR NOT NULL,              -- -> entities.entity_id (the canonical entity)
    rule      VARCHAR NOT NULL               -- alias-file | surname | acronym | org-suffix | ministry | label-vote | same-name
);

CREATE TABLE IF NOT EXISTS boilerplate (
    article_id VARCHAR NOT NULL,
    line_no    INTEGER NOT NULL,             -- 1-based line of the decoded source file
    line       VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_errors (
    run_id      VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,            -- discover | read | decode | parse | nlp | validate
    reason      VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS dq_results (
    run_id           VARCHAR NOT NULL,
    suite            VARCHAR NOT NULL,
    expectation      VARCHAR NOT NULL,
    column_name      VARCHAR,
    severity         VARCHAR NOT NULL,       -- error | warning
    success          BOOLEAN NOT NULL,
    observed_value   VARCHAR,
    unexpected_count BIGINT,
    element_count    BIGINT,
    checked_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS pipeline_runs (
    run_id            VARCHAR PRIMARY KEY,
    flow_run_id       VARCHAR,
    input_dir         VARCHAR NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ NOT NULL,
    status            VARCHAR NOT NULL,      -- completed | warned | failed
    files_seen        INTEGER NOT NULL,
    articles_read     INTEGER NOT NULL,
    articles_loaded   INTEGER NOT NULL,
    articles_skipped  INTEGER NOT NULL,      -- unchanged since the last run
    articles_rejected INTEGER NOT NULL,
    entities          INTEGER NOT NULL,
    mentions          INTEGER NOT NULL,
    quotes            INTEGER NOT NULL,
    quotes_attributed INTEGER NOT NULL,
    rows_quarantined  INTEGER NOT NULL,      -- rows routed to quarantine_<table> by row-level checks
    checks_passed     INTEGER NOT NULL,
    checks_failed     INTEGER NOT NULL,
    words             BIGINT NOT NULL,
    duration_s        DOUBLE NOT NULL
);

-- Key figures of every run: one row for the run overall (scope 'run', outlet NULL) and one per outlet of the
-- articles it loaded (scope 'outlet'; '(unknown)' for articles without one). Written after each run's load,
-- in the same published copy; drift checks compare an outlet's row with its rows of the trailing runs.
CREATE TABLE IF NOT EXISTS run_metrics (
    run_id             VARCHAR NOT NULL,
    scope              VARCHAR NOT NULL,     -- run | outlet
    outlet             VARCHAR,              -- NULL on the run row
    started_at         TIMESTAMPTZ NOT NULL, -- the run's start: orders runs over time
    articles           INTEGER NOT NULL,     -- articles the run loaded (new or changed, not quarantined)
    words              BIGINT NOT NULL,
    quotes             INTEGER NOT NULL,
    quotes_attributed  INTEGER NOT NULL,     -- quotes with a named speaker (speaker_name)
    quotes_per_article DOUBLE,               -- quotes / articles; NULL without articles
    attributed_share   DOUBLE,               -- quotes_attributed / quotes; NULL without quotes
    articles_rejected  INTEGER,              -- files rejected by the run (run row only: a rejected file has no outlet)
    rows_quarantined   INTEGER NOT NULL,     -- rows routed to quarantine_<table> (articles, quotes, mentions)
    nlp_seconds        DOUBLE                -- spaCy and quote/entity rules, summed over batches (run row only)
);

-- Rows that failed a row-level expectation: one log row per quarantined row, with the rules it failed.
CREATE TABLE IF NOT EXISTS quarantine_log (
    run_id         VARCHAR NOT NULL,
    table_name     VARCHAR NOT NULL,
    row_key        VARCHAR NOT NULL,         -- article_id, quote_id or mention_id
    failed_rules   VARCHAR NOT NULL,         -- "suite.expectation(column)"; "article quarantined" for its rows
    quarantined_at TIMESTAMPTZ NOT NULL
);

-- The quarantined rows themselves, with every column of their table (derived, so they cannot drift).
CREATE TABLE IF NOT EXISTS quarantine_articles AS
SELECT *, CAST(NULL AS VARCHAR) AS failed_rules, CAST(NULL AS VARCHAR) AS quarantine_run_id
FROM articles WITH NO DATA;

CREATE TABLE IF NOT EXISTS quarantine_quotes AS
SELECT *, CAST(NULL AS VARCHAR) AS failed_rules, CAST(NULL AS VARCHAR) AS quarantine_run_id
FROM quotes WITH NO DATA;

CREATE TABLE IF NOT EXISTS quarantine_entity_mentions AS
SELECT *, CAST(NULL AS VARCHAR) AS failed_rules, CAST(NULL AS VARCHAR) AS quarantine_run_id
FROM entity_mentions WITH NO DATA;

-- Quote statistics without double counting: quotes of articles that are not duplicates of another one.
CREATE OR REPLACE VIEW distinct_quotes AS
SELECT q.* FROM quotes q JOIN articles a USING (article_id) WHERE a.duplicate_of IS NULL;

-- One row per distinct statement (quote cluster): how often and in how many outlets it was reported.
CREATE OR REPLACE VIEW quote_statements AS
SELECT q.quote_cluster_id,
       arg_max(q.quote_text, length(q.quote_text)) AS quote_text,
       any_value(q.speaker_name) FILTER (WHERE q.speaker_name IS NOT NULL) AS speaker_name,
       count(*) AS reports,
       count(DISTINCT q.article_id) AS articles,
       count(DISTINCT a.outlet) AS outlets
FROM quotes q JOIN articles a USING (article_id)
WHERE q.quote_cluster_id IS NOT NULL
GROUP BY q.quote_cluster_id;
