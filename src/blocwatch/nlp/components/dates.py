"""spaCy component `blocwatch_dates`: date expressions resolved against the article's date.

The anchor (publication or dateline date) is article metadata, not text: the pipeline sets
`doc._.anchor` (a `datetime.date` or None) and `doc._.language` before the Doc enters `nlp.pipe`.
`doc._.date_mentions` holds the resolved mentions; `doc.spans["dates"]` shows them (label: the
resolved value, or "UNRESOLVED").
"""

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from blocwatch.nlp.dates import DateMention, find_dates

FACTORY = "blocwatch_dates"


def register_extensions() -> None:
    for name in ("date_mentions", "anchor", "language"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None, force=True)


class DatesRecogniser:
    """Find and resolve dates in `doc.text`, then annotate the Doc."""

    def __init__(self, name: str) -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, find_dates(doc.text, doc._.anchor, doc._.language))
        return doc

    def set_annotations(self, doc: Doc, dates: list[DateMention]) -> None:
        spans = []
        for mention in dates:
            label = mention.value or "UNRESOLVED"
            span = doc.char_span(mention.start, mention.end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["dates"] = SpanGroup(doc, name="dates", spans=spans)
        doc._.set("date_mentions", dates)


@Language.factory(FACTORY, assigns=["doc.spans", "doc._.date_mentions"])
def make_dates_recogniser(nlp: Language, name: str) -> DatesRecogniser:
    return DatesRecogniser(name)
