"""spaCy component `blocwatch_counts`: counts of states and vote tallies on the Doc.

`doc._.count_mentions` / `doc._.tallies` hold the recognisers' results with exact character
offsets; `doc.spans["counts"]` and `doc.spans["tallies"]` show them (labels: the value, or the
qualifier when there is no number, e.g. "dozens").
"""

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from blocwatch.nlp.counts import CountMention, find_counts
from blocwatch.nlp.tallies import Tally, find_tallies

FACTORY = "blocwatch_counts"


def register_extensions() -> None:
    for name in ("count_mentions", "tallies"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None, force=True)


class CountsRecogniser:
    """Find counts and tallies in `doc.text`, then annotate the Doc."""

    def __init__(self, name: str) -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        language = doc._.get("language") if Doc.has_extension("language") else None
        counts, tallies = self.match(doc.text, language)
        self.set_annotations(doc, counts, tallies)
        return doc

    def match(self, text: str, language: str | None) -> tuple[list[CountMention], list[Tally]]:
        return find_counts(text, language), find_tallies(text, language)

    def set_annotations(self, doc: Doc, counts: list[CountMention], tallies: list[Tally]) -> None:
        count_spans = []
        for count in counts:
            label = str(count.value) if count.value is not None else str(count.qualifier)
            span = doc.char_span(count.start, count.end, label=label, alignment_mode="expand")
            if span is not None:
                count_spans.append(span)
        tally_spans = []
        for tally in tallies:
            label = f"{tally.yes}-{tally.no}-{tally.abstain}"
            span = doc.char_span(tally.start, tally.end, label=label, alignment_mode="expand")
            if span is not None:
                tally_spans.append(span)
        doc.spans["counts"] = SpanGroup(doc, name="counts", spans=count_spans)
        doc.spans["tallies"] = SpanGroup(doc, name="tallies", spans=tally_spans)
        doc._.set("count_mentions", counts)
        doc._.set("tallies", tallies)


@Language.factory(FACTORY, assigns=["doc.spans", "doc._.count_mentions", "doc._.tallies"])
def make_counts_recogniser(nlp: Language, name: str) -> CountsRecogniser:
    return CountsRecogniser(name)
