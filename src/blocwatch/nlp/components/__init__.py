"""spaCy components, one factory per module.

Importing a module registers its factory with spaCy (`@Language.factory`); `nlp/build.py` imports
the ones it adds. Each component follows spaCy's find-then-annotate convention (span_ruler.py):
`__call__` runs a pure finder from `blocwatch.nlp` on `doc.text`, then `set_annotations` stores
the result on the Doc, so the finder stays testable without a pipeline.
"""
