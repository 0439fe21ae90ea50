"""Write a deterministic, news-like corpus for throughput benchmarks (stdlib only, no downloads).

Why synthetic: real news cannot be shipped in the repo, and a benchmark needs thousands of
documents whose mix (mostly irrelevant, a few about joint UN actions) looks like a crawl. The same
arguments always give byte-identical files, so two benchmark runs read the same input.

    python bench/make_corpus.py --n 2000 --out bench/data/mixed-2000 \
        [--relevant-share 0.01] [--world-share 0] [--formats txt,html,jsonl] [--seed 1] \
        [--from-gold DIR ...]

Layout of --out: `articles.jsonl` (most documents, one per line, for streaming readers),
`txt/*.txt` (headline on the first line), `html/*.html` (full pages with nav, share bar, footer)
and `manifest.json` (which ids are relevant or came from gold files). Irrelevant documents are
built from the templates below; relevant ones mix a generated lead with paragraphs of the
examples/ sample texts whose states, numbers and dates are swapped, so no two are near-duplicates.
`--from-gold` mixes in the texts of gold JSON files read at run time (e.g. ../shared/devset):
they land only in --out (bench/data/ is git-ignored), never in the repository.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_GOLD = REPO / "examples" / "gold"
# Share of documents written to the JSONL file when it is among the formats: a crawl export is
# mostly one big stream; the rest exercises the per-file readers.
JSONL_SHARE = 0.8
# Irrelevant documents stop growing once past this many words (news articles run ~400-500).
TARGET_WORDS = 430
# Gold files larger than this are skipped: a gold file is one article, well under 1 MiB.
MAX_GOLD_BYTES = 2 * 1024 * 1024
# Templates (besides the lede) one "world" document draws from: a story covers a few things.
WORLD_TEMPLATES = 4
# Relevant documents are padded with other news up to this length, like a page with a sidebar.
RELEVANT_MIN_WORDS = 380
FIRST_DAY, LAST_DAY = date(2018, 1, 1), date(2023, 12, 31)

# Everything the generator writes comes from this block, so the prose lives apart from the code.
# `@words NAME`: one list per section, items separated by "|". `@headlines TOPIC` and `@sentences
# TOPIC`: one template per line; an indented line continues the one above. In templates, [a|b]
# picks one option and {slot} is filled from the word lists or a generator (see Filler);
# {town}, {person}, {team} and {company} stay fixed within one document.
DATA = """
@words country
Afghanistan|Albania|Algeria|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahrain|
  Bangladesh|Belarus|Belgium|Bolivia|Brazil|Britain|Bulgaria|Burundi|Cambodia|Cameroon|Canada|
  Chile|Colombia|Comoros|Croatia|Cuba|Cyprus|Czechia|Denmark|Djibouti|Ecuador|Egypt|Eritrea|
  Estonia|Ethiopia|Finland|France|Gabon|Georgia|Germany|Ghana|Greece|Guatemala|Honduras|Hungary|
  Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Japan|Jordan|Kazakhstan|Kenya|Kuwait|
  Laos|Latvia|Lebanon|Libya|Lithuania|Luxembourg|Malawi|Malaysia|Mali|Malta|Mauritania|Mexico|
  Moldova|Mongolia|Morocco|Mozambique|Myanmar|Namibia|Nepal|Netherlands|Nicaragua|Niger|Nigeria|
  Norway|Oman|Pakistan|Panama|Paraguay|Peru|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Senegal|
  Serbia|Singapore|Slovakia|Slovenia|Somalia|Spain|Sudan|Sweden|Switzerland|Syria|Tajikistan|
  Tanzania|Thailand|Togo|Tunisia|Turkey|Turkmenistan|Uganda|Ukraine|Uruguay|Uzbekistan|Venezuela|
  Vietnam|Yemen|Zambia|Zimbabwe|North Korea|South Africa|Saudi Arabia|Sri Lanka|New Zealand|
  the Philippines|the United States|the United Arab Emirates|Equatorial Guinea|South Sudan
@words first
Anna|Tomas|Leila|Marco|Ruth|Sami|Ingrid|Pavel|Nadia|Omar|Clara|Jonas|Mei|Tobias|Fatima|Henrik|
  Yara|Lucas|Irene|Kofi|Elena|Dmitri|Grace|Arjun
@words last
Hallberg|Moreno|Okafor|Lindqvist|Brandt|Kowalski|Achterberg|Reyes|Tanaka|Duarte|Haddad|Novak|
  Osei|Petrov|Castell|Marsh|Fontaine|Aziz|Kerr|Vidal|Holm|Baptiste
@words town
Port Amsel|Eastmere|Kellbrook|Saint Aubin|Northwick|Varna Bay|Lowell Cross|Riverton|Hollin|
  Marrow Point|Ashgrove|Caldera Falls|Wexley|Dunmore
@words team
Rovers|Athletic|United|Harriers|Wanderers|City|Rangers|Albion|Dynamo
@words company
Norvale Foods|Brightline Energy|Castor Logistics|Meridian Steel|Helix Pharma|Quayside Retail|
  Arden Telecom|Solace Insurance|Tidewell Water
@words outlet
Harbour Ledger|Lakeside Monitor|The Evening Dispatch|County Herald|Valley Times|The Morning Post|
  Riverside Chronicle|Metro Bulletin|Continental Observer
@words agency
Geneva Wire Service|Transcontinental Press|Allied News Agency
@words road
Mill Lane|the ring road|Station Road|the harbour bridge|High Street|Quay Road
@words venue
the town hall|the civic centre|the old market hall|the library|the exhibition hall
@words forum
Human Rights Council|UN General Assembly's Third Committee|Security Council|UN General Assembly
@words target
China:Xinjiang|China:Hong Kong|China:Tibet|Myanmar:Rakhine|Russia:Crimea|Iran:its prisons|
  Nicaragua:Managua
@words place
GENEVA|NEW YORK|UNITED NATIONS|BRUSSELS|VIENNA
@words month
January|February|March|April|May|June|July|August|September|October|November|December
@words weekday
Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday

@headlines sport
{team} [edge|beat|hold] {team2} in [tense|scrappy|lively] {town} derby
Late goal [lifts|rescues] {team} against {team2}
@sentences sport
{team} [came from behind|held their nerve|rode their luck] to beat {team2} {small}-{tiny} at
  {venue} on {weekday}, with {person} [scoring twice|settling it late|saving a penalty].
The home side [had the better of|dominated|struggled through] the first half, and {person2}
  [hit the post|forced a fine save|was booked] after {small} minutes.
Manager {person3} said the [squad|dressing room|younger players] had [shown character|learned a
  lot|earned a rest] and that {pct} per cent effort was [not enough|the minimum|what he asked for].
A crowd of {big} [watched in the rain|packed the stands|braved the cold], the
  [largest|smallest|loudest] attendance of the season.
{team2} [remain|drop to|climb to] {ordinal} in the table, {small} points [behind the
  leaders|above the drop zone|off the play-off places].
[Injuries|Suspensions|A crowded fixture list] left the visitors without {small} [regular
  starters|defenders|first-team players].
The next match is away at {town2} on {weekday2}, where {team} [have not won|lost heavily|drew]
  [last season|in {year}|since the spring].

@headlines weather
[Storm|Heavy rain|Heatwave] [warning|alert] for {town} as [temperatures|rivers|winds]
  [rise|climb|peak]
{town} [braces for|cleans up after] [floods|gales|a heatwave]
@sentences weather
Forecasters issued a [yellow|amber|red] warning for {town} and the surrounding
  [valleys|coast|districts] on {weekday}, predicting [gusts|rainfall|temperatures] of up to
  {small} [millimetres|degrees|miles an hour] [overnight|by the afternoon|over the weekend].
[Residents|Farmers|Commuters] near {road} were told to [expect delays|move cars to higher
  ground|check on elderly neighbours].
{person}, who [runs a bakery|farms {small} hectares|drives a school bus] near {town}, said the
  [last storm|dry spell|flooding] had cost [weeks of work|a season's income|{pct} per cent of the
  harvest].
The [meteorological office|regional weather service] said [conditions|the front|the high
  pressure] would [ease|linger|move east] by {weekday2}.
Emergency crews [cleared {small} fallen trees|pumped water from {small} homes|handed out {big}
  litres of water] [overnight|by noon|over two days].
[Rainfall|The average temperature|River levels] this [month|season|week] [ran|stood] {pct} per
  cent [above|below] the long-term average, [officials|hydrologists|climatologists] said.

@headlines markets
[Shares|Bonds|The currency] [slip|rally|steady] as investors [weigh|await|shrug off] {company}
  results
{company} [profit|revenue|outlook] [beats|misses|matches] forecasts
@sentences markets
Shares in {company} [rose|fell|closed flat] {tiny}.{tiny} per cent on {weekday} after the group
  reported [quarterly|half-year|annual] [profit|revenue|sales] of {big} million.
Analysts at [several banks|two brokerages|a regional fund] had expected [a sharper fall|a
  stronger rebound|little change], citing [energy prices|consumer demand|interest rates].
Chief executive {person} told investors the company would [cut {small} per cent of costs|open
  {small} new sites|buy back shares] [next year|by {month}|over three years].
The broader index [gained|lost|ended] {tiny}.{small} per cent, with
  [banks|miners|retailers|utilities] [leading|lagging] the market.
[Bond yields|The currency|Oil prices] [edged up|slipped|held steady] as traders [waited
  for|priced in|looked past] the central bank's next decision in {month}.
[Smaller investors|Pension funds|Hedge funds] have [trimmed|added to|held] their positions in
  {company} since {month}, filings show.

@headlines politics
{town} council [approves|rejects|delays] [budget|housing plan|parking charges]
[Row|Vote|Deadlock] over {town} [library|bus depot|school] plan
@sentences politics
{town} councillors voted {small}-{tiny} on {weekday} to [approve|reject|delay] a
  [budget|plan|levy] of {big} thousand for [road repairs|new housing|the library], after a
  [heated|long|short] debate at {venue}.
Councillor {person} said the [plan|levy|budget] would [protect|burden|finally help]
  [families|small shops|pensioners] in the [east|north|old town] of {town}.
[Opposition|Independent|Green] members [walked out|abstained|called for a referendum] and said
  residents had been given only {small} days to comment.
The mayor, {person2}, [promised|ruled out|hinted at] a [review|second vote|public hearing]
  before {month}.
[Turnout|Support] at the last local election was {pct} per cent, [the lowest|the highest|about
  average] in {small} years.
[A petition|An open letter|A residents' group] signed by {big} people asked the council to
  [keep|scrap|rethink] the [scheme|charge|closure].

@headlines health
[Waiting times|Staff shortages|Winter pressure] at {town} hospital [rise|ease|worry]
  [doctors|patients]
{town} clinic [reopens|expands|cuts hours]
@sentences health
Patients at {town} General waited an average of {small} [weeks|days|hours] for [surgery|a
  scan|a bed] in {month}, figures published on {weekday} show.
Dr {person}, who [leads the emergency department|heads the nursing staff|chairs the trust],
  said {small} [posts|beds|wards] were [vacant|closed|short-staffed].
The [regional health board|hospital trust|ministry] pledged {big} thousand to [recruit
  nurses|reopen a ward|buy scanners] [by {month}|next year|within months].
[Vaccination|Screening|Appointment] rates in the district stand at {pct} per cent,
  [below|above|close to] the national target.
[A patients' group|Local doctors|The union] said the [money|plan|promise] came [too late|as a
  relief|with strings attached].

@headlines transport
[Rail|Bus|Ferry] services [cut|restored|delayed] on {town} line
[Roadworks|A strike|Signal failure] [snarls|halts|slows] {town} commuters
@sentences transport
[Trains|Buses|Ferries] between {town} and {town2} [will run|ran] every {small} minutes [from
  {weekday}|during the works|until {month}], the operator said.
[Commuters|Students|Shift workers] on {road} [face|faced] delays of up to {small} minutes after
  [a signal failure|a walkout|emergency repairs].
{person}, a [nurse|teacher|warehouse worker] who travels from {town2} each day, said the journey
  now took [twice as long|an extra hour|{small} minutes more].
The [transport authority|operator|county] said [{big} passengers|{pct} per cent of
  services|{small} routes] were affected.
[Fares|Parking charges|Tolls] [will rise|were frozen|will fall] by {tiny} per cent in {month}.

@headlines culture
{town} [festival|gallery|theatre] [draws record crowds|returns|opens new season]
[Painter|Author|Composer] {person} [honoured|returns] in {town}
@sentences culture
More than {big} visitors came to the [{town} arts festival|new gallery|open-air concerts] over
  {small} days, organisers said on {weekday}.
The [painter|novelist|composer] {person} [opened|closed|headlined] the
  [programme|season|exhibition] with [a reading|a retrospective|a new work] about [the
  harbour|childhood|the old mills].
Tickets [sold out|went on sale|were free] [within hours|in {month}|for under-{small}s], and
  [volunteers|local schools|sponsors] [helped|paid|performed].
[Critics|Visitors|Residents] praised [the lighting|the music|the food stalls], though some
  complained about [queues|noise|parking] near {venue}.
The festival costs about {big} thousand a year, {pct} per cent of it from [ticket sales|the
  council|private donors].

@headlines science
{town} [researchers|engineers|students] [unveil|test|patent] [battery|sensor|crop]
  [breakthrough|prototype]
University team [maps|measures|models] {town} [coastline|soil|air]
@sentences science
A team at {town} University led by Professor {person} has [built|tested|described] a
  [sensor|battery|seed variety] that [lasts|works|grows] {small} per cent [longer|better|faster]
  than [existing designs|the standard|older models].
The results, published in [a peer-reviewed journal|a preprint|a conference paper] on
  {weekday}, [drew cautious praise|need confirming|surprised the group].
[Funding|The grant|Equipment] of {big} thousand came from [the regional council|a private
  foundation|an industry partner].
{person2}, a [doctoral student|technician|postdoctoral fellow], said [the first trials|the field
  tests|the lab work] had taken {small} months.
The team hopes to [run larger tests|license the design|publish more data] by {month} {year}.

@sentences generic
The [council|company|club|operator] did not respond to a request for comment by {weekday}
  evening.
"[We have heard people|This is not the end|It is a start]," {person} said. "[We will keep
  going|Now we wait and see|People deserve better]."
[Similar|Comparable|Earlier] [plans|cases|figures] in {town2} [drew|prompted|led to]
  [protests|a review|complaints] [last year|in {year}|in {month}].
[Details|A full report|Updated figures] will be [published|presented|released] at {venue} on
  {weekday2}.
[Local|Regional] [newspapers|radio|campaigners] have followed the [story|issue|dispute] for
  {small} [weeks|months|years].
About {pct} per cent of [residents|respondents|businesses] in a [recent|spring|county] survey
  said they [supported|opposed|had not heard of] the [idea|plan|change].
{person2}, [a retired engineer|a shop owner|a parent of two], said [nobody had asked|it was
  about time|the details still mattered] and that [{town}|the district|the county] [deserved
  better|would adapt|had seen worse].
The [figures|plans|proposals] [were first reported|surfaced|were leaked] [in {month}|last
  {weekday}|earlier this year], when [officials|managers|organisers] [declined to
  comment|promised answers|called them premature].
[Critics|Supporters|Neighbours] [say|argue|insist] the [costs|benefits|risks] have been
  [overstated|underestimated|ignored] for [years|months|too long].
[A spokesperson|A spokeswoman|A spokesman] said [more information|a timetable|a decision] would
  follow [in the coming weeks|after the summer|by {month}].
[Last year|In {year}|Two years ago] a [similar|smaller|larger] [scheme|project|event] in {town2}
  [cost|raised|lost] about {big} thousand.
The [weekend|morning|evening] [edition|bulletin|newsletter] will carry [reactions|a full
  breakdown|readers' letters] on the [story|issue|subject].

@headlines world
{country} and {country2} [sign|extend|review] [trade|energy|fishing] [deal|pact|accord]
[Election|Budget|Cabinet] [result|vote|crisis] in {country}
@sentences world
The [prime minister|president|foreign minister] of {country} [arrived in|flew to|left] {country2}
  on {weekday} for [talks on|a summit about|a visit focused on] [trade|energy|fisheries|migration].
Officials from {country} and {country2} [signed|initialled|extended] a [trade|gas|visa|fisheries]
  agreement worth {big} million, [according to|said] the [foreign ministry|trade ministry|cabinet
  office].
Lawmakers in {country} voted {small}-{tiny} to [approve|pass|reject] the [budget|pension
  reform|new constitution] after a [long|heated|brief] debate.
The [central bank|finance ministry] of {country} [raised|cut|held] interest rates by
  {tiny}.{tiny} percentage points on {weekday}.
[Opposition parties|Trade unions|Farmers' groups] in {country} [called for|organised|threatened]
  [a general strike|protests|a boycott] over [fuel prices|the election result|the new tax].
The foreign ministry of {country2} issued a statement [welcoming|questioning|noting] the
  [agreement|result|decision], and the opposition [approved|rejected|ignored] it.
The embassy of {country} in {country2} said [its citizens|tourists|students] should
  [avoid|take care near|register before visiting] [the border area|the capital|the coast].
[Turnout|Voter participation] in the [presidential|parliamentary|regional] election in {country}
  reached {pct} per cent, the election commission said.
Exports from {country} to {country2} [rose|fell] {pct} per cent last year, [led by|driven
  by|despite] [machinery|grain|textiles|oil].
The president of {country} [thanked|criticised|praised] {country2} for its
  [support|position|help] during the [floods|crisis|negotiations].
The national football team of {country} [beat|drew with|lost to] {country2} {tiny}-{tiny} in a
  friendly match on {weekday}, and {small} supporters travelled to the game.
[Envoys|Ministers|Delegations] from {country} and {country2} [met|held talks|spoke by phone] on
  [border security|water rights|shipping routes] [this week|on {weekday}|late on {weekday}].

@headlines relevant
{count} [states|countries] [back|criticise|split over] {target} on {region}
[Rival|Joint|New] [letter|statement] on {region} [draws|gathers|wins] {count} [signatures|backers]
@sentences relevant-lead
{place}, {month} {day} ({agency}) — [Envoys|Ambassadors|Representatives] of {count} countries
  [signed|sent|delivered] a [joint letter|joint statement] to the {forum} on {weekday}
  [backing|defending|criticising|questioning] {target}'s policies in {region}, [diplomats
  said|according to a copy seen by {agency}].
{count} [states|countries|governments] [have put their names to|have backed|have joined] a
  [letter|statement] at the {forum} on {region}, [led by|delivered by|drafted by] {lead}, the
  {ordinal} such [move|text|initiative] [this year|since {year}|in a decade].
[A group of|Nearly|More than] {count} [countries|member states] [issued|read out|circulated] a
  [joint statement|letter] at the {forum} on {month} {day} on [{target}'s conduct in
  {region}|the situation in {region}], with {lead} speaking for the group.
@sentences relevant-extra
[Signatories|Co-signers|Backers] [included|named in the text included] {c1}, {c2}, {c3} and
  {c4}.
{c1} and {c2} [did not sign|stayed away|declined to join], [officials|diplomats] said.
The [number|count|tally] of [signatories|backers] [grew|rose|climbed] to {count2} by
  {weekday2}, [according to|said] [a diplomat|the mission of {c3}|an updated list].
{target}'s [foreign ministry|mission|envoy] [rejected|dismissed|welcomed] the
  [text|letter|statement] as [interference|a smear|a fair judgment].
Texts of this kind at the {forum} [are not binding|carry no legal force|are not put to a vote],
  but [diplomats|officials|observers] [count|watch|read] the names [closely|for shifts|with care].
[Rights groups|Campaigners|Lawyers] said the [text|letter|statement] [fell short|was
  overdue|mattered less than access to {region}].
[Diplomats|Observers] [expect|predicted] a [rival|counter|follow-up] [statement|letter] [at the
  next session|before {month}|within weeks].
{person}, who [follows|studies|covers] the {forum} for a [research group|university|news
  agency], said [the numbers|the geography|the timing] [told the real story|mattered
  most|was no accident].
"""


def parse_data(block: str) -> dict[str, list[str]]:
    """Sections of DATA by '@kind name' header; indented lines continue the previous entry."""
    sections: dict[str, list[str]] = {}
    entries: list[str] = []
    for line in block.splitlines():
        if line.startswith("@"):
            entries = sections.setdefault(line[1:].strip(), [])
        elif line[:1].isspace() and entries:
            joiner = "" if entries[-1].endswith("|") else " "
            entries[-1] += joiner + line.strip()
        elif line.strip():
            entries.append(line.strip())
    words = {k: v for k, v in sections.items() if not k.startswith("words ")}
    for key, lines in sections.items():
        if key.startswith("words "):
            words[key.removeprefix("words ")] = "|".join(lines).split("|")
    return words


WORDS = parse_data(DATA)  # word lists ("country", "town", ...) and template sections
COUNTRIES = WORDS["country"]
TOPICS = sorted(k.removeprefix("headlines ") for k in WORDS if k.startswith("headlines "))
TOPICS.remove("relevant")
TOPICS.remove("world")  # foreign news naming states: only with --world-share
_COUNTRY_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, COUNTRIES), key=len)[::-1]) + r")\b"
)
MONTH_NAMES = WORDS["month"]
WEEKDAYS = WORDS["weekday"]
_MONTHS = "|".join(MONTH_NAMES)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\."
_MONTH_DAY_RE = re.compile(rf"\b(?:{_MONTHS}|{_MONTH_ABBR}) (\d{{1,2}})\b")
_DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS})\b")
_TWO_DIGITS_RE = re.compile(r"\b\d{2}\b")
_YEAR_RE = re.compile(r"\b20[12]\d\b")
_ORDINAL_RE = re.compile(r"\bthe \d{1,2}(st|nd|rd|th)\b")


@dataclass(frozen=True)
class Doc:
    """One generated document, before it is written in some format."""

    doc_id: str
    title: str
    outlet: str
    published: str
    url: str
    text: str
    kind: str  # irrelevant | relevant | gold


class Filler:
    """Fills one template language: [a|b] picks, {slot} from WORDS, generators or fixed context."""

    def __init__(self, rng: random.Random, context: dict[str, str]) -> None:
        self.rng = rng
        self.context = context
        r = rng
        self.gens: dict[str, Callable[[], str]] = {
            "small": lambda: str(r.randint(2, 60)),
            "tiny": lambda: str(r.randint(0, 9)),
            "big": lambda: f"{r.randint(1, 99)},{r.randint(0, 999):03d}",
            "pct": lambda: str(r.randint(3, 97)),
            "year": lambda: str(r.randint(2005, 2023)),
            "month": lambda: r.choice(MONTH_NAMES),
            "weekday": lambda: r.choice(WEEKDAYS),
            "weekday2": lambda: r.choice(WEEKDAYS),
            "ordinal": lambda: r.choice(["first", "second", "third", "fifth", "seventh", "last"]),
            "person2": self.person,
            "person3": self.person,
            "town2": lambda: r.choice([t for t in WORDS["town"] if t != context.get("town")]),
            "team2": lambda: f"{r.choice(WORDS['town'])} {r.choice(WORDS['team'])}",
            "c1": lambda: r.choice(COUNTRIES),
            "c2": lambda: r.choice(COUNTRIES),
            "c3": lambda: r.choice(COUNTRIES),
            "c4": lambda: r.choice(COUNTRIES),
        }

    def person(self) -> str:
        return f"{self.rng.choice(WORDS['first'])} {self.rng.choice(WORDS['last'])}"

    def fill(self, template: str) -> str:
        text = re.sub(r"\[([^\[\]]*)\]", lambda m: self.rng.choice(m.group(1).split("|")), template)
        return re.sub(r"\{(\w+)\}", lambda m: self.slot(m.group(1)), text)

    def slot(self, name: str) -> str:
        if name in self.context:
            return self.context[name]
        if name in self.gens:
            return self.gens[name]()
        return self.rng.choice(WORDS[name])


def paragraphs_from(sentences: list[str], rng: random.Random) -> list[str]:
    """Group sentences into news-sized paragraphs of one to three sentences."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        take = rng.choice((1, 2, 2, 3))
        out.append(" ".join(sentences[i : i + take]))
        i += take
    return out


def random_day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def base_context(rng: random.Random) -> dict[str, str]:
    town = rng.choice(WORDS["town"])
    return {
        "town": town,
        "team": f"{town} {rng.choice(WORDS['team'])}",
        "company": rng.choice(WORDS["company"]),
        "person": f"{rng.choice(WORDS['first'])} {rng.choice(WORDS['last'])}",
        "venue": rng.choice(WORDS["venue"]),
    }


def irrelevant_doc(rng: random.Random, topic: str | None = None) -> tuple[str, str]:
    """(title, text) of a plausible news article on a random local topic (or on `topic`),
    ~TARGET_WORDS long. "world" news names two states and has votes, deals and statements
    but no joint UN action: the hard case for a relevance prefilter."""
    if topic is None:
        topic = rng.choice(TOPICS)
        context = base_context(rng)
    else:
        country, country2 = rng.sample(COUNTRIES, 2)
        context = base_context(rng) | {"country": country, "country2": country2}
    filler = Filler(rng, context)
    lead, *rest = WORDS[f"sentences {topic}"]  # each topic's first template reads as a lede
    if topic == "world":  # a foreign story is about one or two things, not every kind at once
        rest = rng.sample(rest, WORLD_TEMPLATES)
    pool = rest + WORDS["sentences generic"]
    picked: list[str] = []
    words = 0
    while words < TARGET_WORDS:
        # every template once per pass, in a new order each pass; the lede opens the first pass
        order = rng.sample(pool, len(pool)) if picked else [lead, *rng.sample(pool, len(pool))]
        for template in order:
            sentence = filler.fill(template)
            picked.append(sentence)
            words += len(sentence.split())
            if words >= TARGET_WORDS:
                break
    title = filler.fill(rng.choice(WORDS[f"headlines {topic}"]))
    return title, "\n\n".join(paragraphs_from(picked, rng))


def load_example_paragraphs() -> list[str]:
    """Paragraphs of our own sample texts that report a joint action (read at run time)."""
    out: list[str] = []
    for path in sorted(EXAMPLES_GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not gold.get("joint_actions"):
            continue
        for para in re.split(r"\n+", gold["text"]):
            if len(para.split()) >= 12:  # drops headlines, bylines and web clutter lines
                out.append(para.strip())
    if not out:
        sys.exit(f"no example paragraphs under {EXAMPLES_GOLD}: run from a blocwatch checkout")
    return out


def mutate(paragraph: str, rng: random.Random, year: int) -> str:
    """Swap states, counts, dates and years so copies of one paragraph do not line up."""
    text = _COUNTRY_RE.sub(lambda _m: rng.choice(COUNTRIES), paragraph)
    text = _TWO_DIGITS_RE.sub(lambda _m: str(rng.randint(11, 79)), text)  # before dates: days
    text = _MONTH_DAY_RE.sub(lambda _m: f"{rng.choice(MONTH_NAMES)} {rng.randint(1, 28)}", text)
    text = _DAY_MONTH_RE.sub(lambda _m: f"{rng.randint(1, 28)} {rng.choice(MONTH_NAMES)}", text)
    text = _ORDINAL_RE.sub(lambda _m: f"the {rng.randint(4, 20)}th", text)
    return _YEAR_RE.sub(str(year), text)


def relevant_doc(day: date, rng: random.Random, examples: list[str]) -> tuple[str, str]:
    """(title, text) of a report of a joint action: generated lead + mutated example paragraphs."""
    target, region = rng.choice(WORDS["target"]).split(":")
    context = base_context(rng) | {
        "place": rng.choice(WORDS["place"]), "agency": rng.choice(WORDS["agency"]),
        "month": MONTH_NAMES[day.month - 1], "day": str(day.day), "year": str(day.year - 1),
        "weekday": WEEKDAYS[day.weekday()], "forum": rng.choice(WORDS["forum"]), "target": target,
        "region": region, "count": str(rng.randint(12, 80)), "count2": str(rng.randint(20, 90)),
        "lead": rng.choice(COUNTRIES),
    }  # fmt: skip
    filler = Filler(rng, context)
    lead = filler.fill(rng.choice(WORDS["sentences relevant-lead"]))
    body = [mutate(p, rng, day.year) for p in rng.sample(examples, rng.randint(3, 4))]
    extras = WORDS["sentences relevant-extra"]
    body += paragraphs_from([filler.fill(t) for t in rng.sample(extras, rng.randint(3, 6))], rng)
    rng.shuffle(body)
    background = irrelevant_doc(rng)[1].split("\n\n")  # the rest of the page: other news
    while background and sum(len(p.split()) for p in body) < RELEVANT_MIN_WORDS:
        body.append(background.pop())
    title = filler.fill(rng.choice(WORDS["headlines relevant"]))
    return title, "\n\n".join([lead, *body])


def load_gold_texts(dirs: Iterable[Path]) -> list[tuple[str, dict[str, object]]]:
    """(file stem, gold object) of every readable gold JSON file in the directories, sorted."""
    out: list[tuple[str, dict[str, object]]] = []
    for folder in dirs:
        for path in sorted(folder.glob("*.json")):
            if not path.is_file() or path.stat().st_size > MAX_GOLD_BYTES:
                continue
            try:
                gold = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                print(f"skipping {path}: {err}", file=sys.stderr)
                continue
            if isinstance(gold, dict) and isinstance(gold.get("text"), str):
                out.append((path.stem, gold))
    return out


def build_docs(
    n: int,
    seed: int,
    relevant_share: float,
    gold: list[tuple[str, dict[str, object]]],
    world_share: float = 0.0,
) -> list[Doc]:
    """All documents in output order. Deterministic in (n, seed, relevant_share, gold,
    world_share); world_share 0 gives the same documents as before the "world" topic existed."""
    rng = random.Random(seed)
    gold = gold[:n]
    n_relevant = min(n - len(gold), round(n * relevant_share) or (1 if relevant_share > 0 else 0))
    kinds = ["gold"] * len(gold) + ["relevant"] * n_relevant
    kinds += ["world"] * min(n - len(kinds), round(n * world_share))
    kinds += ["irrelevant"] * (n - len(kinds))
    rng.shuffle(kinds)
    examples = load_example_paragraphs() if n_relevant else []
    gold_iter = iter(gold)
    docs: list[Doc] = []
    for i, kind in enumerate(kinds):
        doc_id = f"bench-{i:06d}"
        day = random_day(rng)
        outlet = rng.choice(WORDS["outlet"])
        host = re.sub(r"[^a-z]", "", outlet.lower())
        if kind == "gold":
            stem, g = next(gold_iter)
            text, title = str(g["text"]), f"Gold sample {stem}"
            outlet = str(g.get("outlet") or outlet)
            published = str(g.get("published") or day.isoformat())
        else:
            if kind == "relevant":
                title, text = relevant_doc(day, rng, examples)
            else:
                title, text = irrelevant_doc(rng, "world" if kind == "world" else None)
            published = day.isoformat()
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        url = f"https://{host}.example.com/{day:%Y/%m/%d}/{slug}-{i}"
        docs.append(Doc(doc_id, title, outlet, published, url, text, kind))
    return docs


def html_page(doc: Doc) -> str:
    """A full news page: the article sits among nav, header, share bar and footer chrome."""
    e = html.escape
    paras = "\n".join(f"    <p>{e(p)}</p>" for p in doc.text.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(doc.title)} | {e(doc.outlet)}</title>
<meta property="og:site_name" content="{e(doc.outlet)}">
<meta property="article:published_time" content="{e(doc.published)}T09:00:00+00:00">
<link rel="canonical" href="{e(doc.url)}"></head>
<body><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></nav>
<header><div class="brand">{e(doc.outlet)}</div></header>
<main><article><h1>{e(doc.title)}</h1>
  <div class="share-bar"><a href="#">Share</a> <a href="#">Tweet</a> <a href="#">Email</a></div>
  <div class="body">
{paras}
  </div></article></main>
<footer><p>&copy; {e(doc.published[:4])} {e(doc.outlet)}. All rights reserved.</p></footer>
</body></html>
"""


def choose_format(rng: random.Random, formats: list[str]) -> str:
    if "jsonl" in formats and (len(formats) == 1 or rng.random() < JSONL_SHARE):
        return "jsonl"
    return rng.choice([f for f in formats if f != "jsonl"])


def write_corpus(docs: list[Doc], out: Path, formats: list[str], seed: int) -> Counter[str]:
    """Write docs under `out` (file names come from our own ids, never from titles)."""
    rng = random.Random(seed + 1)
    counts: Counter[str] = Counter()
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("txt", "html"):
        if sub in formats:
            (out / sub).mkdir(exist_ok=True)
    jsonl = (out / "articles.jsonl").open("w", encoding="utf-8") if "jsonl" in formats else None
    try:
        for doc in docs:
            fmt = choose_format(rng, formats)
            counts[fmt] += 1
            if fmt == "jsonl" and jsonl is not None:
                record = {"id": doc.doc_id, "url": doc.url, "title": doc.title,
                          "outlet": doc.outlet, "published": doc.published, "language": "en",
                          "text": doc.text}  # fmt: skip
                jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif fmt == "txt":
                body = f"{doc.title}\n{doc.outlet} | {doc.published}\n\n{doc.text}\n"
                (out / "txt" / f"{doc.doc_id}.txt").write_text(body, encoding="utf-8")
            else:
                (out / "html" / f"{doc.doc_id}.html").write_text(html_page(doc), encoding="utf-8")
    finally:
        if jsonl is not None:
            jsonl.close()
    return counts


def clear_previous(out: Path) -> None:
    """Remove only files an earlier run of this script wrote, so stale documents do not linger."""
    for name in ("articles.jsonl", "manifest.json"):
        (out / name).unlink(missing_ok=True)
    for sub, ext in (("txt", "txt"), ("html", "html")):
        for path in (out / sub).glob(f"bench-*.{ext}"):
            path.unlink()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--n", type=int, required=True, help="number of documents")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument("--relevant-share", type=float, default=0.01, help="share about joint actions")
    p.add_argument(
        "--world-share",
        type=float,
        default=0.0,
        help="share of foreign news naming states (not relevant, yet hard to tell)",
    )
    p.add_argument("--formats", default="txt,html,jsonl", help="comma list of txt,html,jsonl")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    p.add_argument("--from-gold", type=Path, nargs="+", default=[], metavar="DIR",
                   help="mix in the texts of gold JSON files from these directories")  # fmt: skip
    args = p.parse_args(argv)
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not args.formats or set(args.formats) - {"txt", "html", "jsonl"}:
        p.error("--formats takes a comma list of txt, html, jsonl")
    if args.n < 1 or not 0.0 <= args.relevant_share <= 1.0 or not 0.0 <= args.world_share <= 1.0:
        p.error("--n must be >= 1 and --relevant-share, --world-share between 0 and 1")
    for folder in args.from_gold:
        if not folder.is_dir():
            p.error(f"--from-gold: {folder} is not a directory")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    gold = load_gold_texts(args.from_gold)
    docs = build_docs(args.n, args.seed, args.relevant_share, gold, args.world_share)
    clear_previous(args.out)
    counts = write_corpus(docs, args.out, args.formats, args.seed)
    kinds = Counter(d.kind for d in docs)
    manifest = {
        "seed": args.seed, "n": args.n, "relevant_share": args.relevant_share,
        "formats": args.formats, "written": dict(sorted(counts.items())),
        "kinds": dict(sorted(kinds.items())),
        "relevant_ids": [d.doc_id for d in docs if d.kind == "relevant"],
        "gold_ids": [d.doc_id for d in docs if d.kind == "gold"],
    }  # fmt: skip
    if args.world_share:
        manifest["world_share"] = args.world_share
        manifest["world_ids"] = [d.doc_id for d in docs if d.kind == "world"]
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    words = sum(len(d.text.split()) for d in docs)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {len(docs)} documents to {args.out} ({size / 1e6:.1f} MB, {words:,} words)")
    print("  by format: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("  by kind:   " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
