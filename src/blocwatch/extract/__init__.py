"""Extractors: read one document's signals (states, counts, dates, cues) and return facts."""

# Part of every `extractions` row: bump it when a change alters what the extractors find, so that
# `blocwatch run` re-extracts stored documents (and only then).
EXTRACTOR_VERSION = "facts-2"
