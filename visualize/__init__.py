"""Diagrams, timelines and the HTML report. Reads results, never the solver internals."""
