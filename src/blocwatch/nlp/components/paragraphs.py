"""spaCy component `blocwatch_paragraphs`: a line break always starts a new sentence.

News text puts headlines, datelines and list items on their own lines without final punctuation;
the parser would glue them to the next sentence. Runs before the parser, which respects
`is_sent_start` set here.
"""

from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "blocwatch_paragraphs"


@Language.component(FACTORY, assigns=["token.is_sent_start"])
def mark_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc
