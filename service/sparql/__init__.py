"""SPARQL text builders and result readers."""
