"""Language stage: recognisers that find what the extractors need (states, counts, bodies, dates).

Each recogniser is a pure function over text (testable without spaCy) plus a thin spaCy
component in `components/` that stores its findings on the Doc. Data (aliases, trigger words)
lives in `patterns/` as sourced TSV files, not in code.
"""
