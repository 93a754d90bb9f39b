"""The DuckDB schema as numbered migrations; ``schema_version`` records the last applied."""

from __future__ import annotations

# bookkeeping tables: not offered for export
INTERNAL_TABLES = ("schema_version", "signatures", "minhash_bands", "paragraphs", "inputs", "vector_indexes")



def _rebuild(table: str, columns: str, after: str = "") -> str:
    """SQL that recreates ``table`` with ``columns`` (its rows kept, in order), then runs ``after``."""
    return (f"CREATE TABLE _old_{table} AS SELECT * FROM {table}; DROP TABLE {table}; "
            f"CREATE TABLE {table} ({columns}); INSERT INTO {table} SELECT * FROM _old_{table}; "
            f"DROP TABLE _old_{table}; {after}\n")


MIGRATIONS: list[str] = [
    # 1: the foundation
    """
    CREATE TABLE documents (
        id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, outlet VARCHAR, kind VARCHAR NOT NULL,
        title VARCHAR, author VARCHAR, published_raw VARCHAR, published TIMESTAMP,
        language VARCHAR, body VARCHAR NOT NULL, duplicate_of VARCHAR, similarity DOUBLE,
        ingested_at TIMESTAMP DEFAULT current_timestamp
    );
    CREATE TABLE sources (document_id VARCHAR NOT NULL, source VARCHAR NOT NULL,
        PRIMARY KEY (document_id, source));
    CREATE TABLE items (document_id VARCHAR NOT NULL, position INTEGER NOT NULL, title VARCHAR,
        text VARCHAR, url VARCHAR, PRIMARY KEY (document_id, position));
    CREATE TABLE comments (
        id VARCHAR PRIMARY KEY, document_id VARCHAR NOT NULL, position INTEGER NOT NULL,
        number INTEGER, author VARCHAR, posted_raw VARCHAR, posted TIMESTAMP, depth INTEGER NOT NULL,
        parent_id VARCHAR, text VARCHAR NOT NULL, language VARCHAR
    );
    CREATE TABLE edges (source_id VARCHAR NOT NULL, target_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        PRIMARY KEY (source_id, target_id, kind));
    CREATE TABLE annotations (
        id VARCHAR PRIMARY KEY, target_id VARCHAR NOT NULL, target_type VARCHAR NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, layer VARCHAR NOT NULL,
        label VARCHAR NOT NULL, score DOUBLE, producer VARCHAR, producer_version VARCHAR, data JSON
    );
    CREATE TABLE failures (input_key VARCHAR PRIMARY KEY, input VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        failed_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE inputs (input_key VARCHAR PRIMARY KEY, done_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE runs (document_id VARCHAR NOT NULL, component VARCHAR NOT NULL, version VARCHAR NOT NULL,
        PRIMARY KEY (document_id, component, version));
    CREATE TABLE signatures (document_id VARCHAR PRIMARY KEY, minhash BLOB NOT NULL);
    CREATE TABLE paragraphs (hash VARCHAR PRIMARY KEY, document_id VARCHAR NOT NULL);
    """,
    # 2: coordination signals with their evidence (narrascope.coordination)
    """
    CREATE TABLE signals (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, score DOUBLE, summary VARCHAR,
        comment_ids VARCHAR[], authors VARCHAR[], document_ids VARCHAR[], evidence JSON,
        found_at TIMESTAMP DEFAULT current_timestamp);
    """,
    # narratives and claims: known debunks, their index, claim matches, discovered narratives
    """
    CREATE TABLE debunks (id VARCHAR PRIMARY KEY, claim VARCHAR NOT NULL, review VARCHAR, url VARCHAR,
        published DATE, keywords VARCHAR[], source VARCHAR, format VARCHAR, embedding FLOAT[384],
        imported_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE debunk_narratives (debunk_id VARCHAR NOT NULL, narrative_id VARCHAR NOT NULL, score DOUBLE,
        via VARCHAR, PRIMARY KEY (debunk_id, narrative_id));
    CREATE TABLE vector_indexes (name VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, dim INTEGER, size INTEGER,
        data BLOB NOT NULL, built_at TIMESTAMP);
    CREATE TABLE claim_matches (claim_id VARCHAR NOT NULL, debunk_id VARCHAR NOT NULL, score DOUBLE NOT NULL,
        rank INTEGER NOT NULL, above_threshold BOOLEAN NOT NULL, threshold DOUBLE,
        PRIMARY KEY (claim_id, debunk_id));
    CREATE TABLE narrative_clusters (id VARCHAR PRIMARY KEY, label VARCHAR, keywords VARCHAR[], size INTEGER,
        first_seen TIMESTAMP, last_seen TIMESTAMP, centroid FLOAT[384], representatives JSON,
        promoted_to VARCHAR, updated_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE narrative_cluster_members (cluster_id VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text VARCHAR, seen TIMESTAMP,
        PRIMARY KEY (target_id, start_char, end_char));
    CREATE VIEW narrative_chain AS
        SELECT t.id AS technique_id, t.label AS technique, t.start_char AS technique_start,
            t.end_char AS technique_end, c.target_id, c.target_type, c.id AS claim_id,
            c.start_char AS claim_start, c.end_char AS claim_end, c.score AS claim_score,
            m.debunk_id, m.score AS match_score, d.claim AS debunk_claim, d.url AS debunk_url,
            dn.narrative_id
        FROM annotations c
        JOIN claim_matches m ON m.claim_id = c.id AND m.above_threshold
        JOIN debunks d ON d.id = m.debunk_id
        LEFT JOIN debunk_narratives dn ON dn.debunk_id = d.id
        LEFT JOIN annotations t ON t.layer = 'techniques' AND t.target_id = c.target_id
            AND t.start_char < c.end_char AND t.end_char > c.start_char
        WHERE c.layer = 'claims';
    """,
    # 4: point lookups of one document's comments, annotations and runs (the web app's document and
    # thread views: 40 ms -> 1 ms on 1.4 M annotations)
    """
    CREATE INDEX annotations_target ON annotations (target_id);
    CREATE INDEX comments_document ON comments (document_id);
    CREATE INDEX runs_document ON runs (document_id);
    """,
    # 5: the near-duplicate LSH index on disk (one row per signature and band) instead of in memory;
    # DuckDBStore fills it for signatures stored before this migration
    """
    CREATE TABLE minhash_bands (band_key BIGINT NOT NULL, document_id VARCHAR NOT NULL);
    """,
    # 6: no primary keys on the tables an ingest appends to, but documents'. DuckDB keeps every key
    # index whole in memory and a writer loads them all, so an ingest's memory grew with the corpus
    # (benchmarks/README.md); the store's own lookups already keep these rows unique
    _rebuild("sources", "document_id VARCHAR NOT NULL, source VARCHAR NOT NULL")
    + _rebuild("items", "document_id VARCHAR NOT NULL, position INTEGER NOT NULL, title VARCHAR, text VARCHAR, "
               "url VARCHAR")
    + _rebuild("comments", "id VARCHAR NOT NULL, document_id VARCHAR NOT NULL, position INTEGER NOT NULL, "
               "number INTEGER, author VARCHAR, posted_raw VARCHAR, posted TIMESTAMP, depth INTEGER NOT NULL, "
               "parent_id VARCHAR, text VARCHAR NOT NULL, language VARCHAR",
               "CREATE INDEX comments_document ON comments (document_id);")
    + _rebuild("edges", "source_id VARCHAR NOT NULL, target_id VARCHAR NOT NULL, kind VARCHAR NOT NULL")
    + _rebuild("annotations", "id VARCHAR NOT NULL, target_id VARCHAR NOT NULL, target_type VARCHAR NOT NULL, "
               "start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, layer VARCHAR NOT NULL, "
               "label VARCHAR NOT NULL, score DOUBLE, producer VARCHAR, producer_version VARCHAR, data JSON",
               "CREATE INDEX annotations_target ON annotations (target_id);")
    + _rebuild("inputs", "input_key VARCHAR NOT NULL, done_at TIMESTAMP DEFAULT current_timestamp")
    + _rebuild("runs", "document_id VARCHAR NOT NULL, component VARCHAR NOT NULL, version VARCHAR NOT NULL",
               "CREATE INDEX runs_document ON runs (document_id);")
    + _rebuild("signatures", "document_id VARCHAR NOT NULL, minhash BLOB NOT NULL")
    + _rebuild("paragraphs", "hash VARCHAR NOT NULL, document_id VARCHAR NOT NULL"),
    # 7: sentences a narrative-discovery pass left as noise, so that no later pass offers them again
    """
    CREATE TABLE IF NOT EXISTS narrative_discovery_noise (target_id VARCHAR NOT NULL, start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL, PRIMARY KEY (target_id, start_char, end_char));
    """,
    # 8: what a platform says about a document or comment beyond its text (Document.meta, Comment.meta:
    # a Telegram message's id, views, reactions, forward); a row only where there is something to say
    """
    CREATE TABLE IF NOT EXISTS metadata (target_id VARCHAR NOT NULL, target_type VARCHAR NOT NULL, data JSON NOT NULL);
    CREATE INDEX IF NOT EXISTS metadata_target ON metadata (target_id);
    """,
    # 9: every language of a document's body with passages of its own (Document.languages), most letters first
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS languages VARCHAR[];",
]
