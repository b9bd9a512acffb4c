"""Curation: librarians' changes to the graph, checked by the shapes before they are applied."""
