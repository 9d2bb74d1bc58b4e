"""The knowledge base: a relational store (SQLite by default, PostgreSQL by URL) kept current
by incremental refreshes. See :mod:`pipeline.kb.refresh` for the refresh semantics."""
