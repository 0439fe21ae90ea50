"""build_nlp: en_core_web_sm plus blocwatch's recognisers, as one spaCy pipeline.

Order: paragraphs (line breaks start sentences) → the model's own components (tok2vec, tagger,
parser for sentences, NER for people in later stages) → our recognisers, which read only
`doc.text` and so work on every language the gazetteers cover, even where the English model's
tags do not. The lemmatizer and attribute ruler are left out: nothing reads them yet, and they
cost time on every document.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from blocwatch.nlp.components import counts, cues, dates, paragraphs, states
from blocwatch.settings import Options

# Components of en_core_web_sm we do not need (each costs time on every document).
EXCLUDED = ("lemmatizer",)
OUR_COMPONENTS = (states.FACTORY, counts.FACTORY, cues.FACTORY, dates.FACTORY)


def register_extensions() -> None:
    """Per-document context the pipeline sets before processing (see pipeline.process)."""
    for name in ("anchor", "language"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None, force=True)


def build_nlp(options: Options) -> Language:
    """Load the model named in `options.spacy_model` (installed as a package: no download)."""
    import spacy

    register_extensions()
    nlp = spacy.load(options.spacy_model, exclude=list(EXCLUDED))
    nlp.add_pipe(paragraphs.FACTORY, before="parser" if "parser" in nlp.pipe_names else None)
    for factory in OUR_COMPONENTS:
        nlp.add_pipe(factory)
    return nlp


def build_blank_nlp() -> Language:
    """Our recognisers on a blank English tokenizer with a rule sentencizer: fast, for tests."""
    import spacy

    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe(paragraphs.FACTORY)
    nlp.add_pipe("sentencizer")
    for factory in OUR_COMPONENTS:
        nlp.add_pipe(factory)
    return nlp
