"""Extractors: read one document's signals (states, counts, dates, cues) and return facts."""
