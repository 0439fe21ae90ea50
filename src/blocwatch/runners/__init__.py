"""Runners drive the stages over many documents: locally (here) or on Spark (later)."""
