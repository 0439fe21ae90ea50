"""Ingest stage: input paths → `RawDocument | Reject`, one reader per format.

Public API: `read_inputs(paths, options, stdin=None)`. See read.py for the stage order.
"""

from blocwatch.ingest.read import read_inputs

__all__ = ["read_inputs"]
