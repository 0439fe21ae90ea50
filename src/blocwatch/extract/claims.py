"""Numeric claims: a figure, what it counts, and who says so.

"United Nations experts say around one million Uighur Muslims are being held" is a claim with a
value (1,000,000), a qualifier ("around"), a counted thing ("Uighur Muslims") and a claimant
("United Nations experts"). Reports disagree on such figures, so each is kept with its source
instead of being treated as a fact.

Why regexes over a parser: figures are short and formulaic, evidence needs exact offsets and the
function runs on every document. Number words and qualifiers are read from the same tables as
counts of states (`patterns/number_words.tsv`, `patterns/count_cues.tsv`). English only: the
counted-noun and claimant rules are English word order (other languages return no claims).

`extract_claims` stages, per sentence:
1. Figures: digits ("1,000", "1.5"), number words ("one million", "twenty-two"), "a million",
   vague magnitudes ("hundreds of", "tens of thousands of"), with a qualifier before
   ("an estimated", "more than", "up to"), a scale ("million", "bn"), percent or currency.
2. Not claims: counts of states and tallies (the joint-action extractor owns those), dates and
   years, ordinals, references ("resolution 19/2", "Article 99", "Group of 77"), times.
3. What is counted: the noun phrase after the figure ("ethnic Uyghurs and other mostly Muslim
   indigenous people of Xinjiang"), after "in/of/for" for money ("$1 billion in loans"), after
   "of" for a percentage; for a duration ("for three years") the clause it measures ("Xinjiang has
   not had a terrorist attack").
4. Claimant, as written: "according to X", else the subject of the nearest speech verb before the
   figure ("The United Nations said ... that"), else a trailing ", X reported" / ", said X".
5. Evidence: the sentence (it holds the figure, the counted thing and the claimant), cut to
   CONTEXT_CHARS either side of the figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from blocwatch.extract.report import EvidenceWriter
from blocwatch.extract.signals import Signals
from blocwatch.model import Article, Claim
from blocwatch.nlp.counts import PATTERNS

# The claimant and counted-noun rules are English word order.
LANGUAGES = frozenset({"en"})
# Qualifier roles of count_cues.tsv that belong to a figure ("more than", "nearly", "around").
QUALIFIER_ROLES = frozenset({"more_than", "nearly", "about", "at_least", "less_than"})
# Qualifiers common in claims that count_cues.tsv does not need for counts of states.
EXTRA_QUALIFIERS = ("up to", "as many as", "as few as", "at most", "estimated", "an estimated")
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Abbreviated scales, only right after digits ("$1.5bn", "2m").
SCALE_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}
# A number written between these is a year, not a claim ("in 2016"), unless it has a scale.
YEARS = range(1800, 2101)
# How far from a figure its claimant and counted noun are looked for, and the most a claim's
# evidence holds on each side: a long news sentence is ~300 characters, a run-on page is not.
CONTEXT_CHARS = 600
# The counted noun phrase: at most this many words ("ethnic Uyghurs and other mostly Muslim
# indigenous people of Xinjiang" has 11).
MAX_WHAT_WORDS = 12
# A claimant longer than this is not a subject but a clause we misread.
MAX_CLAIMANT_WORDS = 8
# A word before a number that makes it a reference, not a quantity.
REFERENCE_WORDS = frozenset(
    "article articles resolution resolutions session paragraph para item no no. number chapter "
    "section page rule point group covid-19 covid hrc g annex clause phase level".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Words that end the counted noun phrase: verbs, relatives, prepositions other than "of".
_STOP = frozenset(
    "were was are is be been being have has had will would could can may might must shall should "
    "who which that whom whose to in on at from by for with since during after before into than "
    "as said say says across over under between about while because when where if per each ago "
    "later earlier this last next including such out were remain remained live lived".split()
)
# Fixed expressions with a number that count nothing.
SET_PHRASES = re.compile(r"\bone\s+country,?\s+two\s+systems\b|\btwo[-\s]state\s+solution\b", re.I)
# A figure whose head is one of these is not a quantity of something ("three times").
NON_CLAIM_HEADS = frozenset("times time of sides side ways way others other point points".split())
DURATION_UNITS = frozenset("year years month months week weeks day days decade decades".split())
# Words between a figure and its duration unit ("three consecutive years").
_DURATION_ADJECTIVES = frozenset("consecutive straight successive full long whole more".split())
# After a duration these make it a point in time ("three years ago"), not a length.
_TIME_POINT = frozenset("ago later earlier before after old".split())
# Left of a duration: the words that tie it to the clause it measures.
_DURATION_LEAD = re.compile(
    r"\s*(?:\b(?:for|in|over|during|within)\s+(?:the\s+)?(?:past|last|previous)?\s*|\bthe\s+(?:past|last)\s+)\Z",
    re.I,
)
_SPEECH_VERBS = (
    "said|says|say|reported|reports|estimated|estimates|estimate|stated|told|claimed|claims|"
    "claim|believes|believe|believed|found|finds|showed|shows|alleged|alleges|allege|wrote|writes|"
    "noted|added|announced|documented|concluded|insisted|insists|argued|argues"
)
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.I)
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,;:.()\"]{2,80})", re.I)
_TRAILING = re.compile(
    rf"[,\"']\s*(?:(?P<who>[^,;:\"()]{{2,80}}?)\s+(?:{_SPEECH_VERBS})"
    rf"|(?:said|reported|added|noted)\s+(?P<who2>[^,;:\"()]{{2,80}}?))\s*[.!?\"']*\s*\Z",
    re.I,
)
_TOKEN = re.compile(r"[\w$€£¥%][\w'’\-./%]*|[^\w\s]")
_CLAUSE_MARK = re.compile(r"[,;:()\"—–]|\bthat\b", re.I)
# Words dropped from the edges of a claimant: adverbs and auxiliaries before the verb, time words
# before the subject ("In August 2018 the UN said").
_CLAIMANT_TAIL = frozenset(
    "also further earlier previously recently now has have had been would will may might could "
    "did does".split()
)
# A subject holding one of these is a clause we misread ("these are the estimates").
_AUXILIARIES = frozenset(
    "is are was were be been have has had do does did will would can could should may might "
    "must".split()
)
# Speech verbs that are also plural nouns: a verb only after a name or a pronoun.
_NOUN_LIKE_VERBS = frozenset("reports claims estimates finds shows claim estimate".split())
_PRONOUNS = frozenset("he she they it we i".split())
_CLAIMANT_BREAK = frozenset(
    "that which who and but while because as when where if in on at for to with by from after "
    "before since during than".split()
)


def _table(name: str) -> list[list[str]]:
    lines = (PATTERNS / name).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _alt(phrases: Iterable[str]) -> str:
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in unique)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], dict[str, tuple[int, str]]]:
    """The figure regex and the English number words (word -> (value, atom|mult))."""
    words: dict[str, tuple[int, str]] = {}
    for lang, word, value, kind in (row[:4] for row in _table("number_words.tsv")):
        if lang == "en" and kind in {"atom", "mult"}:
            words.setdefault(word.casefold(), (int(value), kind))
    qualifiers = [
        phrase
        for lang, phrase, role in (row[:3] for row in _table("count_cues.tsv"))
        if lang == "en" and role in QUALIFIER_ROLES
    ]
    number_word = _alt(words)
    scale = "|".join(SCALES)
    figure = (
        rf"(?<![\w$€£¥.,/\-])(?:(?P<qual>{_alt([*qualifiers, *EXTRA_QUALIFIERS])})\s+)?"
        r"(?P<figure>(?P<money>US\$|\$|€|£|¥|RMB\s?|USD\s?)?"
        r"(?:(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"|(?P<words>(?:{number_word})(?:(?:\s*-\s*|\s+and\s+|\s+)(?:{number_word}))*)(?!\w)"
        rf"|(?P<one>an?|one)(?=\s+(?:{scale})\b)"
        r"|(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|hundreds|thousands|millions|"
        r"billions|dozens)(?=\s+of\b))"
        rf"(?:\s*-?\s*(?P<scale>{scale})s?\b|(?P<abbr>{'|'.join(SCALE_ABBREVIATIONS)})\b)?"
        r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b)?"
        r"(?P<currency>\s+(?:US\s+)?(?:dollars|euros|yuan|pounds|rupees)\b)?)"
    )
    return re.compile(figure, re.I), words


def _word_value(text: str, words: dict[str, tuple[int, str]]) -> int | None:
    """ "twenty-two" = 22, "two dozen" = 24, "one hundred and ten" = 110."""
    total = 0
    for token in re.split(r"\s*-\s*|\s+and\s+|\s+", text.casefold()):
        found = words.get(token)
        if found is None:
            continue
        value, kind = found
        total = (total or 1) * value if kind == "mult" else total + value
    return total or None


def _value(match: re.Match[str], words: dict[str, tuple[int, str]]) -> float | None:
    if match.group("vague"):
        return None
    if match.group("digits"):
        base: float | None = float(match.group("digits").replace(",", ""))
    elif match.group("words"):
        spoken = _word_value(match.group("words"), words)
        base = float(spoken) if spoken is not None else None
    else:
        base = 1.0
    if base is None:
        return None
    if match.group("scale"):
        base *= SCALES[match.group("scale").casefold()]
    elif match.group("abbr"):
        base *= SCALE_ABBREVIATIONS[match.group("abbr").casefold()]
    return base


def _is_reference(text: str, match: re.Match[str]) -> bool:
    """A year, date part, ordinal, code or numbered reference, not a quantity."""
    start, end = match.span("figure")
    after, before = text[end : end + 3], text[max(0, start - 2) : start]
    if re.match(r"(?:st|nd|rd|th)\b|[/:]\d|-\d|\w", after, re.I) or re.search(r"[/:#]\s?$", before):
        return True
    previous = re.findall(r"[\w.\-]+", text[max(0, start - 30) : start])
    following = re.findall(r"[\w.]+", text[end : end + 20])
    if previous and previous[-1].casefold() in REFERENCE_WORDS | MONTHS:
        return True
    if len(previous) > 1 and previous[-1].casefold() == "of" and previous[-2].casefold() == "group":
        return True  # "Group of 77"
    if following and following[0].casefold().rstrip(".") in MONTHS:
        return True
    digits = match.group("digits")
    plain = not (match.group("scale") or match.group("abbr") or match.group("pct"))
    plain = plain and not (match.group("money") or match.group("currency"))
    return bool(digits and plain and digits.isdigit() and int(digits) in YEARS)


def _bare_one(match: re.Match[str]) -> bool:
    """ "one" without a scale is a pronoun or an article as often as a number ("one of the")."""
    spoken = match.group("words")
    return bool(spoken) and spoken.casefold() == "one" and not match.group("scale")


def _in_set_phrase(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 20) : end + 20]
    offset = max(0, start - 20)
    return any(
        m.start() + offset <= start and end <= m.end() + offset
        for m in SET_PHRASES.finditer(window)
    )


def _noun_phrase(text: str, start: int, end: int) -> tuple[str, int]:
    """The counted noun phrase starting at `start` (clean offsets) and where it ends."""
    kept: list[re.Match[str]] = []
    for token in _TOKEN.finditer(text, start, end):
        word = token.group()
        if not (word[0].isalnum() or word[0] in "$€£¥") or word.casefold() in _STOP:
            break
        if kept and re.fullmatch(r"[a-z]+ed", word):
            break  # "300 people killed", "8 recommendations related to ..."
        kept.append(token)
        if len(kept) >= MAX_WHAT_WORDS:
            break
    while kept and kept[-1].group().casefold() in {"and", "or", "of", "the", "a", "an"}:
        kept.pop()
    if not kept:
        return "", start
    last = kept[-1].group()
    # A sentence's full stop sticks to its last word ("lives."); an abbreviation keeps its own.
    cut = len(last) - len(last.rstrip(".")) if not re.fullmatch(r"(?:\w\.)+", last) else 0
    return text[kept[0].start() : kept[-1].end() - cut], kept[-1].end() - cut


def _what(text: str, match: re.Match[str], sentence: tuple[int, int]) -> tuple[str, int] | None:
    """What the figure counts (stage 3) and where the figure's text ends (after the unit of a
    duration: "three years"), or None when it is no claim."""
    end, sentence_end = match.end("figure"), sentence[1]
    rest = text[end:sentence_end]
    if match.group("money") or match.group("currency"):
        lead = re.match(r"\s+(?:worth\s+of|in|of|for)\s+", rest, re.I)
    elif match.group("pct") or match.group("vague"):
        lead = re.match(r"\s+of\s+", rest, re.I)
        if lead is None:
            return None
    else:
        lead = re.match(r"\s+(?:of\s+)?", rest, re.I)
    offset = end + (lead.end() if lead else 0)
    phrase, phrase_end = _noun_phrase(text, offset, sentence_end)
    heads = [w.casefold() for w in phrase.split()]
    while len(heads) > 1 and heads[0] in _DURATION_ADJECTIVES:
        heads.pop(0)
    head = heads[0] if heads else ""
    if head in DURATION_UNITS and not (match.group("pct") or match.group("money")):
        following = re.match(r"\s*([\w]+)", text[phrase_end:sentence_end])
        if following and following.group(1).casefold() in _TIME_POINT:
            return None
        clause = _measured_clause(text, match.start(), sentence)
        unit_end = offset + phrase.casefold().index(head) + len(head)
        return (clause, unit_end) if clause else None
    if not phrase or head in NON_CLAIM_HEADS:
        return None
    if match.group("money") and not lead:
        return (match.group("currency") or "money").strip(), end
    return phrase, end


def _measured_clause(text: str, figure_start: int, sentence: tuple[int, int]) -> str:
    """For a duration, the clause it measures: "Xinjiang has not had a terrorist attack"."""
    before = text[sentence[0] : figure_start]
    marks = list(_CLAUSE_MARK.finditer(before))
    clause = before[marks[-1].end() :] if marks else before
    lead = _DURATION_LEAD.search(clause)
    if lead is None:
        return ""
    return clause[: lead.start()].strip()


def _claimant(text: str, figure_start: int, sentence: tuple[int, int]) -> str | None:
    """Who says so, as written (stage 4)."""
    body = text[sentence[0] : sentence[1]]
    according = _ACCORDING.search(body)
    if according:
        return _trim_claimant(according.group("who").split())
    for verb in reversed(list(_SPEECH.finditer(body, 0, figure_start - sentence[0]))):
        if verb.group().casefold() in _NOUN_LIKE_VERBS and not _named_before(body, verb.start()):
            continue  # "credible reports", "the estimates": a noun, not a verb
        claimant = _trim_claimant(_subject_before(body[: verb.start()]))
        if claimant:
            return claimant
    trailing = _TRAILING.search(body, figure_start - sentence[0])
    if trailing:
        who = trailing.group("who") or trailing.group("who2")
        return _trim_claimant(who.split()) if who else None
    return None


def _named_before(body: str, position: int) -> bool:
    """The word before `position` is a name or a pronoun ("Amnesty International reports")."""
    before = re.findall(r"[\w.'’]+", body[:position])
    return bool(before) and (before[-1][0].isupper() or before[-1].casefold() in _PRONOUNS)


def _subject_before(text: str) -> list[str]:
    """Words of the subject that ends `text`: back to a clause mark or a clause-opening word
    ("and" joins: "U.N. experts and activists say"). A coordinated verb ("prosecutors have
    absolved X and said") takes the clause's first noun phrase: its words up to the first
    auxiliary or past-tense verb."""
    tokens = re.findall(r"[^\s]+", text)
    words: list[str] = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if re.search(r"[,;:()\"]$", token):
            break
        if token.casefold() == "and" and not words:
            return _leading_subject(tokens[:index])
        if token.casefold() in _CLAIMANT_BREAK - {"and"}:
            break
        words.insert(0, token)
        if len(words) > MAX_CLAIMANT_WORDS + 2:
            return []
    return words


def _leading_subject(tokens: list[str]) -> list[str]:
    start = max((i + 1 for i, t in enumerate(tokens) if re.search(r"[,;:()\"]$", t)), default=0)
    words: list[str] = []
    for token in tokens[start:]:
        folded = token.casefold()
        if folded in _AUXILIARIES or (words and re.fullmatch(r"[a-z]+ed", token)):
            break
        words.append(token)
    return words


def _trim_claimant(words: list[str]) -> str | None:
    """The claimant without time words before it and adverbs after it; None when what is left
    is not a subject (too long, or holding a verb of its own)."""
    while words and words[-1].casefold() in _CLAIMANT_TAIL:
        words.pop()
    while words and (
        words[0].casefold() in _CLAIMANT_BREAK | MONTHS or re.fullmatch(r"\d+", words[0])
    ):
        words.pop(0)
    words = [w.strip(",;:\"'") for w in words]
    words = [w if re.fullmatch(r"(?:\w\.)+", w) else w.strip(".") for w in words]
    words = [w for w in words if w]
    if not words or len(words) > MAX_CLAIMANT_WORDS:
        return None
    if any(w.casefold() in _AUXILIARIES or re.fullmatch(r"[a-z]+ed", w) for w in words):
        return None  # a verb inside: "China criticised X and Y" is not a subject
    return " ".join(words)


def _around(sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The sentence, cut to CONTEXT_CHARS each side of the figure (a run-on "sentence" of a
    page without punctuation must not make every figure read the whole page)."""
    return max(sentence[0], start - CONTEXT_CHARS), min(sentence[1], end + CONTEXT_CHARS)


def extract_claims(article: Article, signals: Signals) -> tuple[Claim, ...]:
    """Numeric claims of one article, in text order (stages in the module docstring)."""
    language = (signals.language or "en").split("-")[0].lower()
    if language not in LANGUAGES:
        return ()
    text = signals.text
    figure, words = _lexicon()
    owned = [(c.start, c.end) for c in signals.counts]
    owned += [(t.start, t.end) for t in signals.tallies]
    owned += [(d.start, d.end) for d in signals.dates]
    evidence = EvidenceWriter(article)
    claims: list[Claim] = []
    for sentence in signals.sentences:
        for match in figure.finditer(text, *sentence):
            start, end = match.span("figure")
            if any(s < end and start < e for s, e in owned) or _is_reference(text, match):
                continue
            if _bare_one(match) or _in_set_phrase(text, start, end):
                continue
            scope = _around(sentence, start, end)
            found = _what(text, match, scope)
            if found is None:
                continue
            what, value_end = found
            claims.append(
                Claim(
                    value=_value(match, words),
                    value_text=text[match.start() : value_end].strip(),
                    what=what,
                    evidence=evidence(*scope, "claim"),
                    claimant=_claimant(text, match.start(), scope),
                )
            )
    return tuple(claims)
