"""Ingestion: UN documents (plain text) → triples with provenance, one named graph per source."""
