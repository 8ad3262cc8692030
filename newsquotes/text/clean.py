"""Plain-text article → title, clean story body and the metadata the text states.

The input is decoded text (see ``decode.py``), one paragraph per line; blank lines separate paragraphs and
are otherwise ignored. Every non-blank line except the title is either kept verbatim (surrounding
whitespace stripped) as one body paragraph, or dropped and recorded in ``ParsedArticle.removed`` with its
1-based line number and a reason. Story text is never rewritten, so quotations survive exactly.

Rules, applied in this order (all general patterns; nothing is keyed on a particular article):

Line rules (each line judged on its own)
  * ``copyright`` – "© 2023 …", "Copyright 2019 …", lines ending "All rights reserved".
  * ``photo-credit`` / ``caption`` – a "©" line that names a photographer ("© AFP 2023 / NAME …"),
    "Photo: …", "Image copyright …", "<name> / Pixabay" and other "name / picture-agency" or "via Getty
    Images" credits; "Image caption …" lines.
  * ``markup`` – a short line that is mostly HTML tags (a short one that is a credit once the tags are
    stripped is a ``photo-credit``).
  * ``navigation`` – breadcrumbs of capitalised segments joined by "/", ">", "»" or "|"
    ("World / Asia-Pacific").
  * ``prompt`` – subscription, login and social prompts: a line of at most six words, all of them interface
    vocabulary ("Subscribe", "Newsfeed", "loader", "Chats", "log in or register", "Share this article"); and
    a line of at most 35 words that mentions signing up, subscribing, logging in, registering, a newsletter
    or "our Telegram channel" and either starts as an appeal to the reader ("Never miss …", "Sign up …",
    "Click …", "Follow …") or, within 20 words, speaks as "our"/"us".
  * ``related-links`` – headings of link lists ("Related Articles", "Most Popular", "Hot Topics",
    "Read more", "You may also like") and empty-list notices ("No posts to display").
  * ``counter`` – a line that is only a number (comment and share counters: "0", "12", "1.2k").
  * ``byline`` / ``dateline`` – "By Firstname Lastname …" lines that are not sentences, and short
    "Updated: 2016-07-30 10:54" / "Published 30 July 2016" lines; they give the author and publication time.
  * ``credit`` – "X contributed to this story/report", "Reporting by … ; Editing by …".
  * ``url`` – a line that is only a URL (the first one becomes ``url``); ``site-name`` – a bare domain.
  * ``tags`` – keyword-stuffed lines: "Tags:"/"Keywords:" lines, or six or more short comma-separated
    items, mostly lower-case, at the start of a line (an SEO tag list glued to a teaser).
  * ``teaser`` – a truncated excerpt of another page, ending in "Read More" / "Continue reading".

Site name and captions
  * A dash-prefixed name of at most five words before the title ("- Sputnik International") names the
    site (``site-name``). A " - Name" suffix (up to four capitalised words) that ends two or more lines is
    also the site's name.
  * Lines ending in " - <site name>" are image captions (``caption``); lines equal to the site name are
    ``site-name``.

Title and header
  * The title is the first line that is not boilerplate and looks like a headline (at most 30 words, a
    single sentence; lines of one or two words only when they stand alone), searched among the first 12
    non-blank lines. Lines before it are header:
    classified by the rules above, otherwise ``navigation`` (up to four words) or ``header`` (a section
    blurb). The search only passes a non-headline line when it shares its block with other boilerplate,
    so an article that starts with its first paragraph gets that paragraph's first sentence as title.
  * A title that is a full sentence (eight or more words ending in a full stop) is the article's lede,
    so the line is also kept as the first body paragraph; otherwise the title line is not in the body.
  * A later line equal to the title (ignoring case and spacing) is ``duplicate-title``.

Context rules
  * ``foreign-ui`` – a short line written in another script than the article (e.g. a Cyrillic interface
    string in an English page).
  * ``off-topic`` – a paragraph pasted in from an unrelated story (a promo): at least 15 distinct content
    words (stop words dropped, plural "s" folded) of which fewer than 10% occur in the title or in the
    article's other sentence paragraphs, plus one sign of pasting: it stops mid-sentence, or the line next
    to it was removed by another rule (its teaser headline, image or tag list). Low overlap alone is not
    enough: on the BBC corpus complete paragraphs of round-up articles go as low as 2% overlap, while
    truncated ones stay above 12%. Articles with fewer than four sentence paragraphs are not judged.
  * ``teaser`` – a Title-Case headline line (at least four capitalised significant words, no final
    punctuation, fewer than two commas) next to a removed line (an embedded link to another article).
    Sentence-case subheadings ("South Korea signs milestone deal to deploy THAAD") and Title-Case list
    items among story lines stay. Off-topic and teaser marking repeat until nothing changes.
  * ``related-links`` – after a related-links heading, the following headline lines (no final
    punctuation, up to 25 words) until the next sentence.
  * ``footer`` – after the last story sentence (or line longer than eight words), lines of at most eight
    words without final punctuation that follow a prompt, related-links, counter, copyright or foreign-ui
    line.

Metadata (from the removed lines only, never from story text): ``outlet`` from, in this order, the site
name ("- Sputnik International", a " - Sputnik International" caption suffix), a stated domain
("(chinadaily.com.cn)" in a byline, a bare domain line), the URL line's host, or a known outlet named in a
tag list; domains and tags are mapped to names through ``KNOWN_OUTLETS`` (an unknown domain is kept as
written). ``author`` from the byline (role words such as "Staff Reporter" dropped); ``published_at`` from
the byline or dateline (ISO, "30 July 2016", "July 30, 2016", with an optional time; naive datetime);
``url`` from the first URL line.

Finally, a kept line that does not end a sentence and is followed directly (no blank line) by a kept line
starting in lower case is joined to it with a space (undoing hard wraps). ArticleParseError is raised when
no title or no body remains.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from newsquotes.text.errors import ArticleParseError
from newsquotes.text.types import ParsedArticle, RemovedLine

__all__ = ["KNOWN_OUTLETS", "parse_date", "parse_text_article"]

# --------------------------------------------------------------------------------------------------------
# Vocabulary


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _names(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(";"))


# Canonical outlet names, found by their domain label or squashed name ("valuewalk", "chinadaily").
KNOWN_OUTLETS: tuple[str, ...] = _names(
    "ABC News; Al Jazeera; Asia Times; Associated Press; BBC; Bloomberg; Business Insider; CBS News; "
    "China Daily; CNBC; CNN; Daily Express; Daily Mail; Deutsche Welle; Financial Times; Forbes; "
    "Fox News; France 24; Global Times; Kyodo News; NBC News; Newsweek; NHK; NPR; Politico; Reuters; "
    "RT; Sky News; South China Morning Post; Sputnik International; TASS; The Diplomat; "
    "The Economist; The Guardian; The Hill; The Independent; The Japan Times; The Korea Herald; "
    "The Korea Times; The New York Times; The Telegraph; The Times; The Wall Street Journal; "
    "The Washington Post; TIME; USA Today; ValueWalk; Xinhua; Yonhap"
)
_OUTLET_ALIASES: dict[str, str] = {
    "sputniknews": "Sputnik International",
    "express": "Daily Express",
    "dailymail": "Daily Mail",
    "theguardian": "The Guardian",
    "guardian": "The Guardian",
    "nytimes": "The New York Times",
    "washingtonpost": "The Washington Post",
    "wsj": "The Wall Street Journal",
    "ft": "Financial Times",
    "scmp": "South China Morning Post",
    "aljazeera": "Al Jazeera",
    "dw": "Deutsche Welle",
    "apnews": "Associated Press",
    "xinhuanet": "Xinhua",
    "news.cn": "Xinhua",
    "yna": "Yonhap",
    "koreaherald": "The Korea Herald",
    "koreatimes": "The Korea Times",
    "japantimes": "The Japan Times",
    "telegraph": "The Telegraph",
    "independent": "The Independent",
    "thetimes": "The Times",
    "thehill": "The Hill",
    "thediplomat": "The Diplomat",
    "economist": "The Economist",
    "businessinsider": "Business Insider",
    "globaltimes": "Global Times",
    "tass": "TASS",
    "rt": "RT",
}
_DOMAIN_SUFFIX_LABELS = _wordset(
    "www m amp news com co org net gov edu ac int info biz io uk cn ru us jp kr in de fr au ca eu"
)

_STOPWORDS = _wordset(
    """about above after again against all also although among and another any are around as at away back
    because been before being below between both but can could did does doing done down during each either
    else even ever every few first for from further had has have having her here hers herself him himself his
    how however into its itself just last later least less like made make many may might more most much must
    near need never new next nor not now off often once one only onto other others our ours out over own per
    rather said same say says see she should since some still such than that the their theirs them then there
    these they this those though three through thus till too two under until upon very was way were what when
    where whether which while who whom whose why will with within without would year years yet you your
    yours yesterday today week month told tell also mr mrs ms"""
)

_SMALL_WORDS = _wordset("a an and as at but by for from in into nor of on or per the to vs via with")

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

# --------------------------------------------------------------------------------------------------------
# Patterns

_WORD = re.compile(r"[^\W_][\w'’&.-]*")
_CONTENT_TOKEN = re.compile(r"[^\W\d_]{3,}")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_FULL_STOP_END = re.compile(r"(?<!\.)\.[\"'”’)\]]*$")
_ABBREVIATIONS = _wordset(
    "mrs mr ms dr sen rep gov gen col capt lt sgt st jr sr inc ltd corp co vs etc jan feb mar apr jun jul aug"
    " sep sept oct nov dec no prof rev"
)
_WORD_FULL_STOP_END = re.compile(r"[a-z]{2}\.[\"'”’]*$")
_SENTENCE_BREAK = re.compile(r"\b([A-Za-z]*[a-z]{2})[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")

_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4})|\ball rights reserved\W*$", re.IGNORECASE
)
_COPYRIGHT_CREDIT = re.compile(r"^©[^/\n]{0,60}/")
_PICTURE_AGENCY = (
    r"(?:Getty(?: Images)?|AFP|Reuters|AP(?: Photo)?|EPA(?:-EFE)?|PA(?: Images| Wire)?|Pixabay|Shutterstock|"
    r"Unsplash|Pexels|Flickr|Wikimedia(?: Commons)?|Wikipedia|Xinhua|Sputnik|RIA Novosti|iStock(?:photo)?|"
    r"Alamy|Bloomberg|Anadolu(?: Agency)?|Kyodo|Yonhap|TASS|Public Domain|CC BY(?:-SA)?[\w .-]*)"
)
_PHOTO_CREDIT = re.compile(
    r"^(?:(?:photo|image|picture|pic|photograph|illustration|video|graphic)s?\s*(?:credit|caption|copyright|"
    r"source)?\s*[:|]|(?:image|media|photo|video)\s+(?:caption|copyright|credit|source)\b|"
    rf"[^.!?]{{0,80}}(?:/|\bvia)\s*(?-i:{_PICTURE_AGENCY})[\s)\]]*$)",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BREADCRUMB = re.compile(
    r"^[A-Z0-9][\w&'’.-]*(?: [\w&'’.-]+){0,3}"
    r"(?:\s+(?:/|>|»|›|\|)\s+[A-Z0-9][\w&'’.-]*(?: [\w&'’.-]+){0,3}){1,6}$"
)
_UI_WORDS = _wordset(
    """subscribe unsubscribe newsfeed feed loader loading chats chat comments comment share shares tweet print
    email e-mail menu search home advertisement advertising ad ads sponsored close next previous prev back top
    skip content main login logout log sign in up or out register registration follow us like likes reply
    replies view views show hide more less read continue reading participate the discussion conversation to
    join account profile settings cookie cookies accept privacy policy terms of use contact about newsletter
    newsletters notifications notification all topics latest trending video videos photo photos gallery
    facebook twitter telegram whatsapp instagram youtube linkedin vk rss copy link this article story page"""
)
_PROMPT_VERB = re.compile(
    r"\b(?:sign(?:\s|-)?up|sign in|subscribe|log in|register|(?:follow|join) (?-i:us)|"
    r"download (?:our|the) app|newsletter|"
    r"(?:our|the) (?:telegram|whatsapp|facebook|twitter|youtube|instagram|tiktok|vk) "
    r"(?:channel|page|account)|"
    r"keep you (?:up to speed|posted|updated|informed)|turn on notifications)\b",
    re.IGNORECASE,
)
_PROMPT_START = re.compile(
    r"^(?:never miss|don[’']?t miss|sign(?:\s|-)?up|subscribe|follow|join|download|get (?:the|our)|click|tap|"
    r"stay (?:updated|informed|up to date|tuned)|want (?:more|to)|like (?:this|what)|enjoy(?:ed)?|"
    r"support (?:us|our)|"
    r"to (?:participate|comment|join|continue|read)|please (?:log|sign|subscribe|register))\b",
    re.IGNORECASE,
)
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:[Oo]ur|us)\b")
_RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:articles?|stories|story|news|content|posts?|links?|coverage|topics|reading|items))?|"
    r"most (?:popular|read|viewed|shared|commented|recent)|hot (?:topics|stories|news)|"
    r"trending(?: now| stories| news)?|"
    r"top (?:stories|news|headlines)|more (?:stories|news|articles|headlines|on this story|from [\w ]{1,30})|"
    r"read (?:more|next|also)|also read|see also|further reading|recommended(?: for you| stories| articles)?|"
    r"you (?:may|might) also (?:like|be interested in)|editor[’']?s (?:picks?|choice)|"
    r"latest(?: news| stories| articles| headlines)?|popular(?: now| stories)?|in other news|what[’']?s hot|"
    r"don[’']?t miss|in case you missed it|more in [\w ]{1,30})\W*$",
    re.IGNORECASE,
)
_EMPTY_LIST = re.compile(
    r"^no (?:posts|articles|comments|results|stories|items|entries|news)"
    r"(?: (?:yet|found|to (?:display|show)|available))?\W*$",
    re.IGNORECASE,
)
_COUNTER = re.compile(r"^\d{1,7}(?:[.,]\d)?[kKmM]?$")
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|(?:de|del|van|von|der|den|al|el|bin|ibn|da|di|du|la|le|dos|das))"
_NAME = rf"[A-Z][\w'’.-]+(?:\s+{_NAME_TOKEN}){{0,4}}"
_BYLINE = re.compile(
    rf"^(?:By|BY)\s+(?P<author>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    r"(?P<rest>(?:\s*[(,|–—-].*|\s+(?i:updated|published|posted|in|for|at|and)\b.*)?)$"
)
_NOT_A_NAME = _wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december the then this that these those now contrast comparison far law
    order early late mid noon midnight night morning evening tonight tomorrow yesterday"""
)
_AUTHOR_TAIL = re.compile(
    r"\s*(?:,\s*)?(?:\b(?:staff|senior|chief|special|foreign|political|business|sports|diplomatic|"
    r"technology)\b.*|\b(?:correspondent|reporter|writer|editor)\b.*)$",
    re.IGNORECASE,
)
_DATE_ISO = re.compile(
    r"\b(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
_DATE_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>(?:19|20)\d{{2}})"
    r"(?:[ ,|–-]+(?P<H>\d{1,2})[:.](?P<M>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_DATE_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})"
    r"(?:[ ,|–-]+(?:at\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted|modified|first published|date|released)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?P<date>.{6,40}?)"
    r"(?:\s*(?:gmt|utc|bst|est|edt|pst|pdt|cet|cest|msk|[+-]\d{2}:?\d{2}|\([^)]{1,20}\)))?\W*$",
    re.IGNORECASE,
)
_DATELINE_WORDS = _wordset(
    "last first on at date released gmt utc bst est edt pst pdt cet cest msk am pm monday tuesday wednesday"
    " thursday friday saturday sunday mon tue wed thu fri sat sun"
)
_DATE_KEYWORD = re.compile(r"\b(?:updated|published|posted|modified)\b\s*:?\s*", re.IGNORECASE)
_PAREN_DOMAIN = re.compile(r"\((?P<domain>(?:[\w-]+\.)+[a-z]{2,})\)", re.IGNORECASE)
_DOMAIN_LINE = re.compile(r"^(?:https?://)?(?P<domain>(?:www\.)?(?:[\w-]+\.)+[a-z]{2,})/?$", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^\(?\s*(?:(?i:(?:additional\s+)?(?:reporting|writing|editing|research|compiled|translated|production)"
    r"\s+by)\s+[A-Z][^.!?]{0,150}|"
    r"[A-Z][\w .,&'’()-]{0,80}?\s+contributed(?:(?:\s+additional)?\s+reporting|"
    r"(?:\s+reporting)?\s+to\s+this\s+(?:story|report|article))(?:\s+from\s+[^.!?]{1,60})?)\s*\)?\.?$"
)
_TAGS_LABEL = re.compile(r"^(?:tags|keywords|topics|filed under)\s*:", re.IGNORECASE)
_READ_MORE_END = re.compile(
    r"(?:Read More|Read more|READ MORE|Continue reading|Read the (?:full|rest of the) (?:story|article))"
    r"\s*[»>→….]*$"
)
_TO_READ_MORE = re.compile(r"\bto\s+\S+$")
_SITE_PREFIX = re.compile(r"^[-–—|•]\s*(?P<site>[A-Z][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,4})$")
_SITE_SUFFIX = re.compile(r"\S\s+[-–—|]\s+(?P<site>[A-Z][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,3})$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_LETTERS = re.compile(r"[^\W\d_]+")
_TAG_ITEM_PUNCTUATION = re.compile(r"[.!?:;\"“”()]")
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_NON_LATIN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("cjk", re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")),
    ("devanagari", re.compile(r"[\u0900-\u097f]")),
)

# Reasons that mark the tail of a page (after them, short non-sentences are footer).
_FOOTER_TRIGGERS = frozenset({"prompt", "related-links", "counter", "copyright", "foreign-ui"})

# Thresholds.
_MAX_TITLE_WORDS = 30
_MAX_TITLE_CHARS = 250
_MAX_HEADER_LINES = 12
_LEDE_MIN_WORDS = 8
_OFF_TOPIC_MIN_TOKENS = 15
_OFF_TOPIC_MIN_OTHERS = 3
_OFF_TOPIC_MAX_SHARE = 0.1
_TEASER_MIN_WORDS = 4
_TEASER_MAX_WORDS = 25
_FOOTER_MAX_WORDS = 8
_PROMPT_MAX_WORDS = 35
_SHORT_LINE_WORDS = 10


# --------------------------------------------------------------------------------------------------------
# Helpers


@dataclass(slots=True)
class _Line:
    no: int  # 1-based line number in the decoded text
    text: str  # stripped
    block: int  # index of the run of consecutive non-blank lines it belongs to
    words: int
    reason: str | None = None
    cached_tokens: set[str] | None = None

    @property
    def tokens(self) -> set[str]:
        if self.cached_tokens is None:
            self.cached_tokens = _tokens(self.text)
        return self.cached_tokens


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


_OUTLET_INDEX: dict[str, str] = {_squash(name): name for name in KNOWN_OUTLETS}
_OUTLET_INDEX.update({_squash(name.removeprefix("The ")): name for name in KNOWN_OUTLETS})
_OUTLET_INDEX.update({_squash(key): name for key, name in _OUTLET_ALIASES.items()})


def _outlet_from_domain(domain: str) -> str:
    """'chinadaily.com.cn' → 'China Daily' (known outlets), else the domain as written without 'www.'."""
    domain = domain.lower().removeprefix("www.")
    if _squash(domain) in _OUTLET_INDEX:
        return _OUTLET_INDEX[_squash(domain)]
    labels = [label for label in domain.split(".") if label not in _DOMAIN_SUFFIX_LABELS]
    for label in labels:
        if _squash(label) in _OUTLET_INDEX:
            return _OUTLET_INDEX[_squash(label)]
    return domain


def _word_count(text: str) -> int:
    return len(text.split())


def _is_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def _sentence_breaks(text: str) -> list[int]:
    """Offsets just after each sentence end inside text (abbreviations like "Mr." and "U.S." excepted)."""
    return [m.end(1) + 1 for m in _SENTENCE_BREAK.finditer(text) if m.group(1).lower() not in _ABBREVIATIONS]


def _first_sentence(text: str) -> str:
    breaks = _sentence_breaks(text)
    if not breaks:
        return text
    cut = breaks[0]
    while cut < len(text) and text[cut] in "\"'”’)":
        cut += 1
    return text[:cut].strip()


def _is_title_case(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if not w[0].isdigit()]
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(significant) < _TEASER_MIN_WORDS:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= 0.85 * len(significant)


def _tokens(text: str) -> set[str]:
    out = set()
    for raw in _CONTENT_TOKEN.findall(text.casefold()):
        if raw in _STOPWORDS:
            continue
        token = raw[:-1] if len(raw) > 4 and raw.endswith("s") and not raw.endswith("ss") else raw
        out.add(token)
    return out


def _script(text: str) -> tuple[str | None, int]:
    """The dominant script of text's letters and how many letters it has."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS}
    total = sum(counts.values())
    if not total:
        return None, 0
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return (name if count >= 0.8 * total else None), total


def _is_ui_line(text: str) -> bool:
    words = _LETTER_WORD.findall(text.casefold())
    if not words or len(words) > 6 or (_TERMINAL.search(text) and not text.endswith("...")):
        return False
    return all(w in _UI_WORDS for w in words)


# --------------------------------------------------------------------------------------------------------
# Dates


def _to_datetime(
    y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None = None, ampm: str | None = None
) -> datetime | None:
    hour = int(hh) if hh else 0
    minute = int(mm) if mm else 0
    if ampm:
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    try:
        return datetime(y, m, d, hour, minute, int(ss) if ss else 0)
    except ValueError:
        return None


def parse_date(text: str) -> datetime | None:
    """The first date (and time, when given) in text: "2016-07-30 10:54", "30 July 2016", "July 30, 2016"."""
    found: list[tuple[int, datetime]] = []
    m = _DATE_ISO.search(text)
    if m:
        dt = _to_datetime(int(m["y"]), int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"])
        if dt:
            found.append((m.start(), dt))
    for pattern in (_DATE_DMY, _DATE_MDY):
        m = pattern.search(text)
        if m:
            month = _MONTHS[m["mon"].lower().rstrip(".")]
            dt = _to_datetime(int(m["y"]), month, int(m["d"]), m["H"], m["M"], None, m["ampm"])
            if dt:
                found.append((m.start(), dt))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _is_dateline(text: str) -> bool:
    if _word_count(text) > _SHORT_LINE_WORDS:
        return False
    m = _DATELINE.match(text)
    if not m or parse_date(text) is None:
        return False
    # Only date words may remain once the date itself is taken out.
    rest = _DATE_KEYWORD.sub(" ", text)
    for pattern in (_DATE_ISO, _DATE_DMY, _DATE_MDY):
        rest = pattern.sub(" ", rest)
    leftovers = [w for w in _LETTERS.findall(rest.lower()) if w not in _MONTHS]
    return all(w in _DATELINE_WORDS for w in leftovers)


# --------------------------------------------------------------------------------------------------------
# Line rules


def _byline_author(text: str) -> str | None:
    if _word_count(text) > 20 or text[:3].lower() != "by ":
        return None
    m = _BYLINE.match(text)
    if not m:
        return None
    author = m["author"]
    first = author.split()[0].lower()
    if first in _NOT_A_NAME or not author[0].isupper():
        return None
    rest = m["rest"] or ""
    # A sentence ("By Monday, the firm had sold 1m copies.") is story, not a byline.
    if _WORD_FULL_STOP_END.search(text) and not _PAREN_DOMAIN.search(rest):
        return None
    author = _AUTHOR_TAIL.sub("", author).strip(" ,")
    return author or None


def _is_tag_list(text: str) -> bool:
    if _TAGS_LABEL.match(text):
        return True
    items = text.split(",")
    run = 0
    lower = 0
    for item in items:
        item = item.strip()
        n = len(item.split())
        if not 1 <= n <= 4 or _TAG_ITEM_PUNCTUATION.search(item):
            break
        run += 1
        lower += item[0].islower()
    # The last short item may be glued to the next text ("short biasIn his letter"), so it also counts.
    return run >= 6 and lower >= 0.5 * run


def _classify(text: str) -> str | None:
    """Reason for dropping a line judged on its own, or None."""
    words = _word_count(text)
    if _COPYRIGHT_CREDIT.match(text):
        return "photo-credit"
    if "<" in text:
        stripped = _TAG.sub("", text).strip()
        if stripped != text:
            if words <= 15 and _PHOTO_CREDIT.match(stripped):
                return "photo-credit"
            if len(stripped) <= 0.5 * len(text) or _word_count(stripped) <= 12:
                return "markup"
    if words <= 40:
        reason = _classify_short(text, words)
        if reason:
            return reason
    if _is_tag_list(text):
        return "tags"
    tail = text[-40:]
    if _READ_MORE_END.search(tail) and not _TO_READ_MORE.search(tail):
        return "teaser"
    return None


def _classify_short(text: str, words: int) -> str | None:
    if _COPYRIGHT.search(text):
        return "copyright"
    if words <= 20 and _PHOTO_CREDIT.match(text):
        return "caption" if "caption" in text[:20].lower() else "photo-credit"
    if words == 1 and _URL_LINE.match(text):
        return "url"
    if words == 1 and _DOMAIN_LINE.match(text):
        return "site-name"
    if _COUNTER.match(text):
        return "counter"
    if _is_ui_line(text):
        return "prompt"
    if words <= 8 and (_RELATED_HEADING.match(text) or _EMPTY_LIST.match(text)):
        return "related-links"
    if (
        words <= _PROMPT_MAX_WORDS
        and _PROMPT_VERB.search(text)
        and (_PROMPT_START.match(text) or (words <= 20 and _FIRST_PERSON_PLURAL.search(text)))
    ):
        return "prompt"
    if _byline_author(text):
        return "byline"
    if _is_dateline(text):
        return "dateline"
    if words <= 12 and _BREADCRUMB.match(text) and not _is_sentence(text):
        return "navigation"
    if _CREDIT.match(text):
        return "credit"
    return None


# --------------------------------------------------------------------------------------------------------
# The parser


def _split(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    previous_blank = True
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank and lines:
            block += 1
        previous_blank = False
        lines.append(_Line(no=no, text=stripped, block=block, words=_word_count(stripped)))
    return lines


def _site_names(lines: list[_Line], header_end: int) -> list[str]:
    """Site names stated in the text, most explicit first."""
    names: list[str] = []
    for line in lines[:header_end]:
        m = _SITE_PREFIX.match(line.text)
        if m:
            names.append(m["site"])
    suffixes = Counter(
        m["site"]
        for line in lines
        if not line.text.startswith(("-", "–", "•")) and (m := _SITE_SUFFIX.search(line.text[-80:]))
    )
    names.extend(site for site, n in suffixes.most_common() if n >= 2 and site not in names)
    return names


def _headline_like(line: _Line, block_size: int) -> bool:
    if line.words == 0 or line.words > _MAX_TITLE_WORDS or len(line.text) > _MAX_TITLE_CHARS:
        return False
    if line.words <= 2 and block_size > 1:
        return False
    return not _sentence_breaks(line.text)


def parse_text_article(text: str, *, path: str) -> ParsedArticle:
    """Split decoded article text into title, clean body, stated metadata and removed lines.

    Raises ArticleParseError(path, reason) when no title or no story paragraph remains.
    """
    lines = _split(text)
    if not lines:
        raise ArticleParseError(path, "no text lines")
    block_sizes = Counter(line.block for line in lines)
    for line in lines:
        line.reason = _classify(line.text)

    # --- Title: first non-boilerplate headline-like line; what precedes it is header.
    title_index: int | None = None
    title_text = ""
    keep_title_line = False
    header_blocks_with_boilerplate: set[int] = set()
    for i, line in enumerate(lines[:_MAX_HEADER_LINES]):
        if line.reason is None and _SITE_PREFIX.match(line.text) and line.words <= 5:
            line.reason = "site-name"
        if line.reason is not None or (line.words <= 2 and block_sizes[line.block] > 1 and i + 1 < len(lines)):
            if line.reason is None:
                line.reason = "navigation"
            header_blocks_with_boilerplate.add(line.block)
            continue
        if _headline_like(line, block_sizes[line.block]):
            title_index, title_text = i, line.text
            break
        if line.block in header_blocks_with_boilerplate:
            line.reason = "header"
            continue
        # The article starts with a paragraph: its first sentence is the title and the line stays in the body.
        title_index, title_text, keep_title_line = i, _first_sentence(line.text), True
        break
    if title_index is None:
        first = next((i for i, line in enumerate(lines) if line.reason is None), None)
        if first is None:
            raise ArticleParseError(path, "no title: every line is boilerplate")
        title_index, title_text = first, lines[first].text
        if not _headline_like(lines[first], block_sizes[lines[first].block]):
            title_text, keep_title_line = _first_sentence(title_text), True
    # Anything before the title that slipped through is header too.
    for line in lines[:title_index]:
        if line.reason is None:
            line.reason = "navigation" if line.words <= 4 else "header"
    title_line = lines[title_index]
    if (
        not keep_title_line
        and title_line.words >= _LEDE_MIN_WORDS
        and _FULL_STOP_END.search(title_line.text)
        and not title_line.text.endswith("..")
    ):
        keep_title_line = True  # a lede sentence standing in for a headline: it is story text too

    # --- Site name, captions.
    sites = _site_names(lines, title_index)
    site_keys = {_squash(site) for site in sites}
    body = [line for i, line in enumerate(lines) if i > title_index]
    title_key = _squash(title_text)
    for line in body:
        if line.reason is not None:
            continue
        if site_keys:
            m = _SITE_SUFFIX.search(line.text[-80:])
            bare = line.text.lstrip("-–—|• ").strip()
            if _squash(bare) in site_keys:
                line.reason = "site-name"
            elif m and _squash(m["site"]) in site_keys:
                line.reason = "caption"
        if line.reason is None and abs(len(line.text) - len(title_text)) < 20 and _squash(line.text) == title_key:
            line.reason = "duplicate-title"

    # --- Other scripts.
    _mark_foreign_script(lines, body)

    # --- Off-topic paragraphs and teaser headlines.
    while _mark_off_topic(title_text, lines, title_index) | _mark_teasers(lines, title_index):
        pass
    _mark_related_lists(body)
    _mark_footer(body)

    # --- Metadata.
    outlet, author, published_at, url = _metadata(lines, sites)

    # --- Body.
    kept = ([title_line] if keep_title_line else []) + [line for line in body if line.reason is None]
    paragraphs = _join_wrapped(kept)
    if not paragraphs:
        raise ArticleParseError(path, "no story text left after removing boilerplate")
    removed = [
        RemovedLine(line_no=line.no, text=line.text, reason=line.reason)
        for i, line in enumerate(lines)
        if line.reason is not None and i != title_index
    ]
    return ParsedArticle(
        title=title_text,
        body="\n\n".join(paragraphs),
        outlet=outlet,
        author=author,
        published_at=published_at,
        url=url,
        removed=removed,
    )


def _mark_foreign_script(lines: list[_Line], body: list[_Line]) -> None:
    short = [
        line for line in body if line.reason is None and line.words <= _SHORT_LINE_WORDS and not _is_sentence(line.text)
    ]
    if not any(_NON_LATIN.search(line.text) for line in short):
        article_script: str | None = "latin"  # the common case, decided without counting every letter
    else:
        article_script, _ = _script(" ".join(line.text for line in lines))
    if article_script is None:
        return
    for line in short:
        script, letters = _script(line.text)
        if script and script != article_script and letters >= 3:
            line.reason = "foreign-ui"


def _mark_off_topic(title: str, lines: list[_Line], title_index: int) -> bool:
    """Mark long paragraphs that share few content words with the article; True when any was marked."""
    body = lines[title_index + 1 :]
    candidates = [line for line in body if line.reason is None]
    position = {id(line): i for i, line in enumerate(lines)}

    def suspicious(line: _Line) -> bool:
        # Low overlap alone also fits a legitimate change of subject (a review round-up), so it needs one
        # sign of pasted-in text: cut off mid-sentence, or next to other boilerplate (its teaser or image).
        return not _is_sentence(line.text) or any(
            _is_boilerplate(n) and n.reason != "off-topic" for n in _neighbours(lines, position[id(line)])
        )

    suspects = [line for line in candidates if line.words >= _OFF_TOPIC_MIN_TOKENS and suspicious(line)]
    if not suspects:
        return False
    token_sets = [line.tokens for line in candidates]
    # Reference text: the title and the story's sentences (headline-like lines may themselves be teasers).
    in_reference = [_is_sentence(line.text) or line.words > _TEASER_MAX_WORDS for line in candidates]
    if sum(in_reference) < _OFF_TOPIC_MIN_OTHERS + 1:
        return False
    document_frequency: Counter[str] = Counter()
    for tokens, used in zip(token_sets, in_reference, strict=True):
        if used:
            document_frequency.update(tokens)
    title_tokens = _tokens(title)
    marked = False
    for line in suspects:
        tokens = line.tokens
        if len(tokens) < _OFF_TOPIC_MIN_TOKENS:
            continue
        own = 1 if _is_sentence(line.text) or line.words > _TEASER_MAX_WORDS else 0  # counted in the reference
        shared = sum(1 for t in tokens if document_frequency[t] > own or t in title_tokens)
        if shared < _OFF_TOPIC_MAX_SHARE * len(tokens):
            line.reason = "off-topic"
            marked = True
    return marked


def _is_boilerplate(line: _Line) -> bool:
    return line.reason is not None and line.reason not in ("byline", "dateline", "credit")


def _neighbours(lines: list[_Line], i: int) -> Iterable[_Line]:
    if i > 0:
        yield lines[i - 1]
    if i + 1 < len(lines):
        yield lines[i + 1]


def _mark_teasers(lines: list[_Line], title_index: int) -> bool:
    """Mark Title-Case headline lines next to other boilerplate; True when any was marked."""
    marked = False
    for i in range(title_index + 1, len(lines)):
        line = lines[i]
        if (
            line.reason is not None
            or not _TEASER_MIN_WORDS <= line.words <= _TEASER_MAX_WORDS
            or _SENTENCE_END.search(line.text)
            or line.text.count(",") >= 2
            or not _is_title_case(line.text)
        ):
            continue
        if any(_is_boilerplate(n) for n in _neighbours(lines, i)):
            line.reason = "teaser"
            marked = True
    return marked


def _mark_related_lists(body: list[_Line]) -> None:
    in_list = False
    for line in body:
        if line.reason == "related-links":
            in_list = True
            continue
        if not in_list:
            continue
        if line.reason is None:
            if _is_sentence(line.text) or line.words > _TEASER_MAX_WORDS:
                in_list = False
            else:
                line.reason = "related-links"


def _mark_footer(body: list[_Line]) -> None:
    last_story = -1
    for i, line in enumerate(body):
        if line.reason is None and (_is_sentence(line.text) or line.words > _FOOTER_MAX_WORDS):
            last_story = i
    triggered = False
    for line in body[last_story + 1 :]:
        if line.reason in _FOOTER_TRIGGERS:
            triggered = True
        elif triggered and line.reason is None and line.words <= _FOOTER_MAX_WORDS:
            line.reason = "footer"


_Metadata = tuple[str | None, str | None, datetime | None, str | None]  # outlet, author, published_at, url


def _metadata(lines: list[_Line], sites: list[str]) -> _Metadata:
    author: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    domains: list[str] = []
    for line in lines:
        if line.reason in ("byline", "dateline", "site-name", "credit"):
            m = _PAREN_DOMAIN.search(line.text) or _DOMAIN_LINE.match(line.text)
            if m:
                domains.append(m["domain"])
        if author is None and line.reason == "byline":
            author = _byline_author(line.text)
        if published_at is None and line.reason in ("byline", "dateline"):
            published_at = parse_date(line.text)
        if url is None and line.reason == "url":
            url = line.text
    # Most explicit first: a site-name line or caption suffix, a stated domain, the page's URL, a tag list.
    outlet = sites[0] if sites else None
    if outlet is None and domains:
        outlet = _outlet_from_domain(domains[0])
    if outlet is None and url:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
        outlet = _outlet_from_domain(host) if host else None
    if outlet is None:
        outlet = _outlet_in_tags(lines)
    return outlet, author, published_at, url


def _outlet_in_tags(lines: list[_Line]) -> str | None:
    for line in lines:
        if line.reason == "tags":
            for item in line.text.split(","):
                outlet = _OUTLET_INDEX.get(_squash(item))
                if outlet:
                    return outlet
    return None


def _join_wrapped(kept: list[_Line]) -> list[str]:
    paragraphs: list[str] = []
    previous: _Line | None = None
    for line in kept:
        if (
            previous is not None
            and paragraphs
            and line.no == previous.no + 1
            and line.text[0].islower()
            and not _SENTENCE_END.search(previous.text)
        ):
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs
