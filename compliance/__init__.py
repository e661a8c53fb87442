"""Compliance evidence: the report read from the synthesized templates, and the read-only audit of a live account."""
