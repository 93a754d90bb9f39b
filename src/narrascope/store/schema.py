"""The DuckDB schema as numbered migrations; ``schema_version`` records the last applied."""

from __future__ import annotations

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
]
