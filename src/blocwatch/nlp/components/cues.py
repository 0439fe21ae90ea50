"""spaCy component `blocwatch_cues`: UN bodies (forums), kinds of action, stances, leads, lists.

`doc._.cues` maps each cue category to its `Cue`s; `doc.spans["forums"]` shows the bodies (label:
UNHRC, UNGA-C3, UNGA, UNSC) and `doc.spans["action_cues"]` the other categories (label:
"category:value").
"""

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from blocwatch.nlp.cues import Cue, find_all_cues

FACTORY = "blocwatch_cues"


def _known(language: str | None) -> str | None:
    """Languages the lexicon has rows for; any other language (or none) tries every row."""
    if language == "tl":
        return "fil"
    return language if language in ("en", "es", "pt", "fr", "ar", "fil", "is") else None


def register_extension() -> None:
    if not Doc.has_extension("cues"):
        Doc.set_extension("cues", default=None, force=True)


class CuesRecogniser:
    """Find cue words in `doc.text`, then annotate the Doc."""

    def __init__(self, name: str) -> None:
        self.name = name
        register_extension()

    def __call__(self, doc: Doc) -> Doc:
        language = doc._.get("language") if Doc.has_extension("language") else None
        self.set_annotations(doc, self.match(doc.text, language))
        return doc

    def match(self, text: str, language: str | None) -> dict[str, list[Cue]]:
        return find_all_cues(text, _known(language))

    def set_annotations(self, doc: Doc, cues: dict[str, list[Cue]]) -> None:
        forums: list[Span] = []
        others: list[Span] = []
        for category, found in cues.items():
            for cue in found:
                label = cue.value if category == "forum" else f"{category}:{cue.value}"
                span = doc.char_span(cue.start, cue.end, label=label, alignment_mode="expand")
                if span is not None:
                    (forums if category == "forum" else others).append(span)
        doc.spans["forums"] = SpanGroup(doc, name="forums", spans=forums)
        doc.spans["action_cues"] = SpanGroup(doc, name="action_cues", spans=others)
        doc._.set("cues", cues)


@Language.factory(FACTORY, assigns=["doc.spans", "doc._.cues"])
def make_cues_recogniser(nlp: Language, name: str) -> CuesRecogniser:
    return CuesRecogniser(name)
