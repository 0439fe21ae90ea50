"""spaCy component `blocwatch_states`: every state mention on the Doc, as spans and as data.

`doc.spans["states"]` holds one span per mention (label: the ISO3 code, "AMBIGUOUS" when the
mention has several candidates such as "Korea", "REGION" for "Latin American"), for display and
for other matchers. `doc._.state_mentions` holds the `StateMention`s themselves, with their exact
character offsets, form, language and confidence: extractors read that, not the spans (a span is
expanded to whole tokens; an Arabic mention without its clitic may be shorter than its token).

No `from __future__ import annotations` here: spaCy validates factory arguments from their
runtime annotations.
"""

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from blocwatch.nlp.states import StateMention, find_states

FACTORY = "blocwatch_states"
SPANS_KEY = "states"
EXTENSION = "state_mentions"
AMBIGUOUS_LABEL = "AMBIGUOUS"
REGION_LABEL = "REGION"


def register_extension() -> None:
    """Register `doc._.state_mentions` once (guarded: several components may import this)."""
    if not Doc.has_extension(EXTENSION):
        Doc.set_extension(EXTENSION, default=None, force=True)


def span_label(mention: StateMention) -> str:
    """The span label of a mention: ISO3, or why there is none."""
    if mention.iso3:
        return mention.iso3
    return REGION_LABEL if mention.form == "region" else AMBIGUOUS_LABEL


class StatesRecogniser:
    """Finds state mentions in `doc.text` (pure `find_states`), then annotates the Doc."""

    def __init__(self, name: str, languages: list[str] | None, spans_key: str) -> None:
        self.name = name
        self.languages = list(languages) if languages is not None else None
        self.spans_key = spans_key
        register_extension()

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[StateMention]:
        return find_states(doc.text, self.languages)

    def set_annotations(self, doc: Doc, mentions: list[StateMention]) -> None:
        spans = []
        for mention in mentions:
            span = doc.char_span(
                mention.start, mention.end, label=span_label(mention), alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        doc._.set(EXTENSION, mentions)


@Language.factory(
    FACTORY,
    default_config={"languages": None, "spans_key": SPANS_KEY},
    assigns=["doc.spans", f"doc._.{EXTENSION}"],
)
def make_states_recogniser(
    nlp: Language, name: str, languages: list[str] | None, spans_key: str
) -> StatesRecogniser:
    """`nlp.add_pipe("blocwatch_states", config={"languages": ["en", "es"]})`; None = all."""
    return StatesRecogniser(name, languages, spans_key)
