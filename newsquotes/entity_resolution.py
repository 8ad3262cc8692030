"""One entity across many articles: merge the per-article entities of the whole warehouse into canonical ones.

The NLP stage names each entity within its article (``Lavrov`` → ``Sergey Lavrov`` when the article says both).
After every load this step resolves names *across* articles, inside the load transaction, and rewrites
``entity_mentions.entity_id``, ``quotes.speaker_entity_id``, ``entities`` and ``entity_aliases``. It is
recomputed from the per-article names (``entity_mentions.local_name``, ``quotes.speaker_name``) every time, so
the result does not depend on the order in which articles arrived.

A *name* is a (label, name) pair, compared by ``ids.entity_key`` (case-folded, NFKC, single spaces). Names are
merged by these rules (``entity_aliases.rule`` records which one linked each alias):

``same-name``  the same name with another label is the same entity (the small model tags ``Lotte`` ORG in one
               article and PERSON in another); the cluster takes the label found in most articles.
``alias-file`` a name listed in the alias files (the shipped ``newsquotes/resources/entity_aliases.csv``, then the
               user's ``NEWSQUOTES_ALIASES_FILE``) joins its canonical entity, whatever its label: ``US``,
               ``U.S.``, ``America`` → ``United States``; ``ROK`` → ``South Korea``. The file's canonical name
               and label win. A user entry for an alias overrides a shipped one.
``org-suffix`` an organisation ``X Group`` / ``X Corp`` / ``X Inc`` / ``X Ltd`` / ... (the suffix capitalised: a name,
               not "a German company") joins ``X`` when ``X`` is a name but not a place; the cluster is an ORG.
``ministry``   a country's ministry however written joins one name: ``Beijing's foreign ministry``,
               ``China's Foreign Ministry``, ``Chinese Ministry of Foreign Affairs`` → ``Chinese Foreign Ministry``
               (country, capital or demonym, possessive or not, ``Foreign``/``Defence``/... before or after).
``acronym``    ``Long Form (ACR)`` or ``ACR (Long Form)`` in any article body, where the letters of ACR are the
               initials of Long Form's words, makes ACR an alias of Long Form's entity (``THAAD``) - unless ACR
               has several meanings in the warehouse (spelling variants such as Defense/Defence are one).
``surname``    a one-word PERSON name joins the PERSON whose full name ends with it, when exactly one full name
               in the warehouse does, the word is nobody's first name and no other label uses it (``Lavrov`` →
               ``Sergey Lavrov``; two Browns, ``Ray`` of Ray Charles, ``England`` of Tudor England: no merge).

Then a *gazetteer* pass finds, in every English article body, the names the model missed: alias-file names,
acronyms defined anywhere, and full (two-word or longer) person names. A match becomes a mention
(``method = 'gazetteer'``) when it does not overlap a model mention and is not part of a longer capitalised
name (``South America``, ``Bank of America``).

The canonical name of a cluster is the alias file's canonical name, else for people the longest full name,
else the most mentioned name (ties: the longer one, not all capitals). Its id is ``ids.entity_id(label, name)``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsquotes import ids
from warehouse import registered, sql_statements, sql_text

__all__ = [
    "Alias",
    "ResolutionResult",
    "default_aliases",
    "load_alias_file",
    "resolve_entities",
    "resolve_names",
]

MENTION_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
_LABEL_PRIORITY = {label: i for i, label in enumerate(("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT"))}
_ORG_SUFFIXES = frozenset(
    {"group", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "co", "company", "holdings", "plc", "llc"}
)
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "de", "du", "la", "le", "to", "at", "&"})
_JOIN = r"(?:(?:of|and|for|the|on|in|de|to|&)[ \t]+)*"
_ACRONYM_AFTER = re.compile(rf"((?:[A-Z][\w-]*[ \t]+{_JOIN}){{1,9}})\(([A-Z]{{2,8}})\)")
_ACRONYM_BEFORE = re.compile(rf"\b([A-Z]{{2,8}})[ \t]+\(((?:[A-Z][\w-]*[ \t]*{_JOIN}){{2,9}})\)")
_HAS_ACRONYM_AFTER = re.compile(r"\([A-Z]{2,8}\)")  # what every _ACRONYM_AFTER match contains
_HAS_ACRONYM_BEFORE = re.compile(r"[A-Z]{2,8}[ \t]+\([A-Z]")  # what every _ACRONYM_BEFORE match contains
_PERSON_NAME = re.compile(r"^(?:[A-Z][a-z][\w’'.-]*|[A-Z]\.?)(?: (?:[A-Z][\w’'.-]*|de|van|von|da|di|al|bin|le|la))+$")
_CAP_START = re.compile(r"[A-Z][\w’'-]*")
_WORD_BEFORE = re.compile(r"([\w’'.-]+)\s+$")
_WORD_AFTER = re.compile(r"^\s+([\w’'-]+)")

# Countries with their capital and demonym, for the ministry rule.
_PLACES: tuple[tuple[str, ...], ...] = (
    ("Chinese", "China", "Beijing", "PRC"),
    ("Russian", "Russia", "Moscow", "Kremlin"),
    ("US", "U.S", "U.S.", "United States", "America", "American", "Washington"),
    ("British", "UK", "U.K.", "Britain", "United Kingdom", "London"),
    ("South Korean", "South Korea", "Seoul", "ROK", "Republic of Korea"),
    ("North Korean", "North Korea", "Pyongyang", "DPRK"),
    ("Japanese", "Japan", "Tokyo"),
    ("French", "France", "Paris"),
    ("German", "Germany", "Berlin"),
    ("Indian", "India", "New Delhi", "Delhi"),
    ("Iranian", "Iran", "Tehran"),
    ("Israeli", "Israel"),
    ("Ukrainian", "Ukraine", "Kyiv", "Kiev"),
    ("Turkish", "Turkey", "Ankara"),
    ("Italian", "Italy", "Rome"),
    ("Spanish", "Spain", "Madrid"),
    ("Canadian", "Canada", "Ottawa"),
    ("Australian", "Australia", "Canberra"),
    ("Pakistani", "Pakistan", "Islamabad"),
    ("Syrian", "Syria", "Damascus"),
    ("Saudi", "Saudi Arabia", "Riyadh"),
    ("Egyptian", "Egypt", "Cairo"),
    ("Irish", "Ireland", "Dublin"),
    ("Brazilian", "Brazil", "Brasilia"),
    ("Mexican", "Mexico"),
    ("Polish", "Poland", "Warsaw"),
)
_DEMONYM = {ids.entity_key(p): places[0] for places in _PLACES for p in places}
_MINISTRIES: tuple[tuple[str, str], ...] = (
    (r"foreign (?:ministry|office)|ministry of foreign affairs|foreign affairs ministry|mfa", "Foreign Ministry"),
    (r"defen[cs]e ministry|ministry of defen[cs]e|mod", "Defence Ministry"),
    (r"interior ministry|ministry of (?:the )?interior|ministry of internal affairs", "Interior Ministry"),
    (r"finance ministry|ministry of finance", "Finance Ministry"),
    (r"trade ministry|ministry of (?:commerce|trade)|commerce ministry", "Trade Ministry"),
    (r"embassy", "Embassy"),
)
_PLACE_RE = "|".join(sorted((re.escape(ids.entity_key(p)) for p in _DEMONYM), key=len, reverse=True))
_MINISTRY_RE = [
    (
        re.compile(
            rf"^(?:the )?(?P<place>{_PLACE_RE})(?:['’]s)? (?:{body})$|^(?:the )?(?:{body}) of (?P<place2>{_PLACE_RE})$"
        ),
        canonical,
    )
    for body, canonical in _MINISTRIES
]


@dataclass(frozen=True, slots=True)
class Alias:
    """One alias-file entry: ``alias`` is another name of the entity ``canonical`` (of ``label``)."""

    alias: str
    canonical: str
    label: str


Node = tuple[str, str]  # (label, entity_key(name))


def _key(name: str) -> str:
    key = ids.entity_key(name).strip(" .,;:")
    return key[4:] if key.startswith("the ") else key


# ---------------------------------------------------------------------------------------------------------
# Alias files


def _parse_aliases(text: str, *, yaml_file: bool, source: str) -> list[Alias]:
    rows: list[Mapping[str, Any]]
    if yaml_file:
        import yaml

        data = yaml.safe_load(text) or []
        if isinstance(data, Mapping):  # {canonical: {label: L, aliases: [...]}}
            rows = [
                {"alias": a, "canonical": canonical, "label": (spec or {}).get("label", "")}
                for canonical, spec in data.items()
                for a in (spec or {}).get("aliases", [])
            ]
        else:
            rows = list(data)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for i, row in enumerate(rows, start=1):
        alias, canonical, label = (str(row.get(k) or "").strip() for k in ("alias", "canonical", "label"))
        if not alias or not canonical or label.upper() not in MENTION_LABELS:
            raise ValueError(f"{source}: entry {i} needs alias, canonical and a label in {MENTION_LABELS}: {row}")
        out.append(Alias(alias, canonical, label.upper()))
    return out


def default_aliases() -> list[Alias]:
    """The aliases shipped with newsquotes (``newsquotes/resources/entity_aliases.csv``)."""
    text = resources.files("newsquotes").joinpath("resources/entity_aliases.csv").read_text(encoding="utf-8")
    return _parse_aliases(text, yaml_file=False, source="entity_aliases.csv")


def load_alias_file(path: Path) -> list[Alias]:
    """A user's alias file: CSV with the header ``alias,canonical,label``, or YAML (a list of such mappings, or
    ``{canonical: {label: GPE, aliases: [..]}}``)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    return _parse_aliases(text, yaml_file=path.suffix.lower() in (".yaml", ".yml"), source=str(path))


# ---------------------------------------------------------------------------------------------------------
# Clustering


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, x: Node) -> Node:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(slots=True)
class NameStats:
    """What the warehouse says about one (label, name): surface forms and the articles naming it.

    ``resolve_entities`` counts the articles in SQL (``article_count``) rather than holding every article id of
    the warehouse in ``articles``."""

    forms: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    article_count: int | None = None

    @property
    def n_articles(self) -> int:
        return len(self.articles) if self.article_count is None else self.article_count


def _ministry(key: str) -> str | None:
    for pattern, body in _MINISTRY_RE:
        m = pattern.match(key)
        if m:
            return f"{_DEMONYM[m['place'] or m['place2']]} {body}"
    return None


def _one_meaning(long_forms: list[str]) -> bool:
    """All definitions of an acronym spell one long form (up to spelling: "Defense" / "Defence")."""
    first = long_forms[0]
    return all(difflib.SequenceMatcher(None, first, other).ratio() >= 0.9 for other in long_forms[1:])


def _initials_match(long_form: str, acronym: str) -> bool:
    words = [w for w in long_form.split() if w.lower() not in _SMALL_WORDS]
    return len(words) == len(acronym) and all(w[0].upper() == c for w, c in zip(words, acronym, strict=True))


def find_acronyms(body: str) -> Iterator[tuple[str, str]]:
    """(acronym, long form) defined in text: "Long Form (ACR)" or "ACR (Long Form)"."""
    # the full patterns are slow to try at every position; most bodies have no "(ACR)" or "ACR (X" at all
    for m in _ACRONYM_AFTER.finditer(body) if _HAS_ACRONYM_AFTER.search(body) else ():
        words = m.group(1).split()
        acronym = m.group(2)
        # the long form is the last len(acronym)+small-words words before the bracket
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            if _initials_match(candidate, acronym) and candidate.split()[0].lower() not in _SMALL_WORDS:
                yield acronym, candidate
                break
    for m in _ACRONYM_BEFORE.finditer(body) if _HAS_ACRONYM_BEFORE.search(body) else ():
        candidate = " ".join(m.group(2).split())
        if _initials_match(candidate, m.group(1)):
            yield m.group(1), candidate


@dataclass(slots=True)
class Resolution:
    """The clusters: each name's canonical (label, name), and which rule linked each alias."""

    clusters: list[list[Node]]
    rules: dict[Node, str]  # node -> rule that merged it into its cluster
    gazetteer: dict[str, Node]  # surface name to look for in bodies -> node
    file_canonical: dict[Node, tuple[str, str]]  # alias-file canonical nodes -> (label, name)
    canonical: dict[Node, tuple[str, str]] = field(default_factory=dict)  # node -> (label, canonical name)

    def choose_names(self, stats: Mapping[Node, NameStats]) -> None:
        """Each cluster's canonical (label, name), from the names' statistics (gazetteer matches included)."""
        self.canonical = {}
        for members in self.clusters:
            choice = _canonical(members, stats, self.file_canonical)
            for node in members:
                self.canonical[node] = choice


def resolve_names(
    stats: Mapping[Node, NameStats],
    aliases: Iterable[Alias],
    acronyms: Iterable[tuple[str, str]],
) -> Resolution:
    """Cluster the warehouse's names by the module's rules."""
    uf = _UnionFind()
    rules: dict[Node, str] = {}
    nodes = set(stats)
    by_key: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        uf.find(node)
        by_key[node[1]].append(node)

    def link(a: Node, b: Node, rule: str) -> None:
        if uf.find(a) != uf.find(b):
            rules.setdefault(a, rule)
            uf.union(a, b)

    # same-name
    for same in by_key.values():
        for node in same[1:]:
            link(node, same[0], "same-name")
    # org-suffix
    for label, key in nodes:
        if label != "ORG":
            continue
        words = key.split()
        written = max(stats[(label, key)].forms, key=stats[(label, key)].forms.__getitem__).split()
        # a name ("Lotte Group"), not a description ("German company", "US company")
        if len(words) >= 2 and words[-1] in _ORG_SUFFIXES and written[-1][:1].isupper():
            base = " ".join(words[:-1])
            targets = [n for n in by_key.get(base, []) if n[0] not in ("GPE", "NORP", "LOC")]
            if targets:
                link((label, key), targets[0], "org-suffix")
    # ministry
    ministry_nodes: dict[str, Node] = {}
    for label, key in sorted(nodes):
        name = _ministry(key)
        if name is not None:
            target = ministry_nodes.setdefault(name, ("ORG", _key(name)))
            uf.find(target)
            link((label, key), target, "ministry")
    # acronym
    gazetteer: dict[str, Node] = {}
    acronyms = list(dict.fromkeys(acronyms))  # a pair found again changes nothing
    meanings: dict[str, list[str]] = defaultdict(list)
    for acronym, long_form in acronyms:
        meanings[acronym].append(_key(long_form))
    one_meaning = {acronym: _one_meaning(forms) for acronym, forms in meanings.items()}
    for acronym, long_form in acronyms:
        if not one_meaning[acronym]:
            continue  # BSA: "Building Societies Association" here, "Business Software Alliance" there
        long_nodes = by_key.get(_key(long_form), [])
        acr_nodes = by_key.get(_key(acronym), [])
        anchor = (long_nodes or acr_nodes or [None])[0]
        if anchor is None:
            continue
        for node in [*long_nodes, *acr_nodes]:
            link(node, anchor, "acronym")
        acr_node = acr_nodes[0] if acr_nodes else (anchor[0], _key(acronym))
        if acr_node not in nodes:
            uf.find(acr_node)
            link(acr_node, anchor, "acronym")
        gazetteer.setdefault(acronym, acr_node)
        gazetteer.setdefault(long_form, anchor)
    # surname (a one-word PERSON whose full name is unique)
    by_surname: dict[str, set[Node]] = defaultdict(set)
    for label, key in nodes:
        words = key.split()
        if label == "PERSON" and len(words) >= 2:
            by_surname[words[-1]].add((label, key))
    first_names = {node[1].split()[0] for nodes_ in by_surname.values() for node in nodes_}
    for label, key in nodes:
        # "Ray" is no surname to merge when it is also someone's first name ("Ray Charles"), nor "England" when
        # the name is also a place or an organisation ("England" tagged PERSON once, "Tudor England")
        if (
            label == "PERSON"
            and " " not in key
            and len(by_surname.get(key, ())) == 1
            and key not in first_names
            and all(node[0] == "PERSON" for node in by_key[key])
        ):
            full = next(iter(by_surname[key]))
            if _PERSON_NAME.match(max(stats[full].forms, key=stats[full].forms.__getitem__)):
                link((label, key), full, "surname")
    # alias-file (last, so the file's canonical names win; user entries come after shipped ones)
    file_canonical: dict[Node, tuple[str, str]] = {}
    entries: dict[str, Alias] = {}
    for entry in aliases:
        entries[_key(entry.alias)] = entry
    for akey, entry in entries.items():
        target: Node = (entry.label, _key(entry.canonical))
        uf.find(target)
        file_canonical[target] = (entry.label, entry.canonical)
        for node in [*by_key.get(akey, []), *by_key.get(_key(entry.canonical), [])]:
            link(node, target, "alias-file")
        alias_node: Node = (entry.label, akey)
        if alias_node != target:
            link(alias_node, target, "alias-file")
        gazetteer.setdefault(entry.alias, alias_node)
        gazetteer.setdefault(entry.canonical, target)
    clusters: dict[Node, list[Node]] = defaultdict(list)
    for node in list(uf.parent):
        clusters[uf.find(node)].append(node)
    resolution = Resolution(list(clusters.values()), rules, gazetteer, file_canonical)
    resolution.choose_names(stats)
    # full names of people (clusters that are people, names of capitalised words without digits)
    for label, key in sorted(nodes):
        if label == "PERSON" and " " in key and resolution.canonical[(label, key)][0] == "PERSON":
            for form in stats[(label, key)].forms:
                words = form.split()
                if len(words) >= 2 and all(w[:1].isupper() for w in words) and not any(c.isdigit() for c in form):
                    gazetteer.setdefault(form, (label, key))
    return resolution


def _canonical(
    members: list[Node], stats: Mapping[Node, NameStats], file_canonical: Mapping[Node, tuple[str, str]]
) -> tuple[str, str]:
    for node in sorted(members):
        if node in file_canonical:
            return file_canonical[node]
    label_articles: Counter[str] = Counter()
    for node in members:
        if node in stats:
            label_articles[node[0]] += stats[node].n_articles
    if not label_articles:  # only names the rules made up (an acronym or ministry never tagged as such)
        label_articles.update(node[0] for node in members)
    if any(k.split()[-1] in _ORG_SUFFIXES for _label, k in members if " " in k):
        label_articles = Counter({"ORG": 1})  # "Altria Group" is a company, however often "Altria" is tagged PERSON
    label = max(label_articles, key=lambda lab: (label_articles[lab], -_LABEL_PRIORITY.get(lab, 99), lab))
    forms: Counter[str] = Counter()
    made_up: list[str] = []
    for node in members:
        if node in stats:
            forms.update(stats[node].forms)
        else:
            made_up.append(node[1])
    if not forms:
        ministry = next((_ministry(k) for k in made_up if _ministry(k)), None)
        return label, ministry or max(made_up, key=len)
    if label == "PERSON":
        persons = Counter({f: n for f, n in forms.items() if f[:1].isupper()}) or forms
        return label, max(persons, key=lambda f: (len(f.split()), persons[f], not f.isupper(), f))
    ministry_names = sorted({m for _label, k in members if (m := _ministry(k))})
    if ministry_names:
        return label, ministry_names[0]
    return label, max(forms, key=lambda f: (forms[f], not f.isupper(), len(f), f))


# ---------------------------------------------------------------------------------------------------------
# Gazetteer


def _inside_longer_name(body: str, start: int, end: int, person: bool) -> bool:
    """Whether the match continues a longer capitalised name (a title before a person's name is fine)."""
    before = None if person else _WORD_BEFORE.search(body[max(0, start - 40) : start])
    if before:
        word = before.group(1)
        if word[:1].isupper() or word.lower() == "of":
            return True
    after = _WORD_AFTER.match(body[end : end + 40])
    return bool(after and after.group(1)[:1].isupper() and body[end : end + 1] not in ".,;:")


def gazetteer_matches(
    body: str, spans: list[tuple[int, int]], names: Mapping[str, list[str]], persons: frozenset[str] = frozenset()
) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of gazetteer names in body outside the spans; ``names``: first word -> names;
    ``persons``: the names that are people's."""
    # A candidate [start, end) overlaps a span when some span starts before ``end`` and ends after ``start``:
    # over the spans sorted by start, the largest end among those starting before ``end``. Matches come left
    # to right and do not overlap each other, so the last one found is the only one that can overlap the next.
    taken = sorted(spans)
    starts = [s for s, _e in taken]
    reach = list(accumulate((e for _s, e in taken), max))
    last_end = None
    for m in _CAP_START.finditer(body):
        candidates = names.get(m.group())
        if not candidates:
            continue
        start = m.start()
        for name in candidates:  # longest first
            end = start + len(name)
            if not body.startswith(name, start) or (end < len(body) and (body[end].isalnum() or body[end] == "_")):
                continue
            before = bisect_left(starts, end)
            overlaps = (before and reach[before - 1] > start) or (last_end is not None and last_end > start)
            if overlaps or _inside_longer_name(body, start, end, name in persons):
                break
            last_end = end
            yield start, end, name
            break


def _first_word_index(gazetteer: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for name in gazetteer:
        m = _CAP_START.match(name)
        if m:
            index[m.group()].append(name)
    for names in index.values():
        names.sort(key=len, reverse=True)
    return index


# ---------------------------------------------------------------------------------------------------------
# The warehouse step


@dataclass(slots=True)
class ResolutionResult:
    names: int = 0  # distinct (label, name) pairs before resolution
    entities: int = 0  # canonical entities after it
    gazetteer_mentions: int = 0
    aliases: int = 0
    seconds: float = 0.0


Span = tuple[int, int, str, str]  # start, end, mention_id, label


def _bodies(con: Any, page: int = 2000) -> Iterator[tuple[str, str, list[Span]]]:
    """(article id, body, model mention spans) of the English articles, in article id order, read a page of
    ``page`` articles at a time (no statement is left open between pages)."""
    starts = [r[0] for r in con.execute(sql_text("resolution_body_pages"), {"page": page}).fetchall()]
    for lo, hi in zip(starts, [*starts[1:], None], strict=True):
        rows = con.execute(sql_text("resolution_bodies"), {"lo": lo, "hi": hi}).fetchall()
        for aid, body, spans in rows:
            yield aid, body, [(s["s"], s["e"], s["id"], s["l"]) for s in spans or []]
        del rows


_GENERIC_MINISTRY = [
    (re.compile(rf"^(?:the )?(?:{body})$"), canonical) for body, canonical in _MINISTRIES if canonical != "Embassy"
]
_PLACE_BEFORE = re.compile(rf"(?:^|[^\w])(?:the )?({_PLACE_RE})(?:['’]s)? $")


def ministry_of_context(body: str, start: int, end: int) -> str | None:
    """ "Russia's Ministry of Foreign Affairs" where the model tagged only the ministry: its country's name."""
    key = _key(body[start:end])
    canonical = next((c for pattern, c in _GENERIC_MINISTRY if pattern.match(key)), None)
    if canonical is None:
        return None
    m = _PLACE_BEFORE.search(" ".join(body[max(0, start - 40) : start].casefold().split()) + " ")
    return f"{_DEMONYM[m.group(1)]} {canonical}" if m else None


def _count_articles(
    con: Any, stats: Mapping[Node, NameStats], name_keys: pa.Table, gazetteer: list[tuple[str, str, str]]
) -> None:
    """Each name's ``article_count``: distinct articles naming it (model mentions and quotes, plus the gazetteer
    matches (article, label, key) given)."""
    found = pa.table(
        {"article_id": [g[0] for g in gazetteer], "label": [g[1] for g in gazetteer], "key": [g[2] for g in gazetteer]},
        schema=pa.schema([("article_id", pa.string()), ("label", pa.string()), ("key", pa.string())]),
    )
    with registered(con, {"name_keys": name_keys, "gazetteer_found": found}):
        counts = {(label, key): n for label, key, n in con.execute(sql_text("resolution_name_articles")).fetchall()}
    for node, node_stats in stats.items():
        node_stats.article_count = counts.get(node, 0)


def resolve_entities(con: Any, aliases: Iterable[Alias] | None = None) -> ResolutionResult:
    """Resolve the warehouse's entities in place (the caller owns the transaction). See the module docstring.

    The whole warehouse is resolved, but not held in memory: bodies are read a page at a time (twice: for
    acronyms and ministries, then for the gazetteer), names are streamed and aggregated per (label, name), and
    articles per name are counted in SQL. Python holds the names (the vocabulary), the distinct acronym
    definitions and the gazetteer's matches."""
    import time

    t0 = time.perf_counter()
    aliases = list(default_aliases() if aliases is None else aliases)
    con.execute("DELETE FROM entity_mentions WHERE method = 'gazetteer'")
    acronyms: list[tuple[str, str]] = []
    ministries: list[dict[str, str]] = []
    for _aid, body, spans in _bodies(con):
        acronyms.extend(find_acronyms(body))
        for start, end, mention_id, label in spans:
            if label == "ORG" and (name := ministry_of_context(body, start, end)):
                ministries.append({"mention_id": mention_id, "local_name": name})
    if ministries:
        with registered(con, {"ministry_names": pa.Table.from_pylist(ministries)}):
            for statement in sql_statements("resolution_local_names"):
                con.execute(statement)
    stats: dict[Node, NameStats] = defaultdict(NameStats)
    name_keys: dict[tuple[str, str], str] = {}
    cursor = con.execute(sql_text("resolution_names"))
    while rows := cursor.fetchmany(10_000):
        for label, name, _article_id, n in rows:
            key = name_keys.get((label, name))
            if key is None:
                key = name_keys[(label, name)] = _key(name)
            if key:
                stats[(label, key)].forms[name] += n
    keys_table = pa.table(
        {
            "label": [label for label, _name in name_keys],
            "name": [name for _label, name in name_keys],
            "key": list(name_keys.values()),
        },
        schema=pa.schema([("label", pa.string()), ("name", pa.string()), ("key", pa.string())]),
    )
    _count_articles(con, stats, keys_table, [])
    resolution = resolve_names(stats, aliases, acronyms)
    # Gazetteer mentions: found first, so their counts take part in choosing canonical names.
    index = _first_word_index(resolution.gazetteer)
    persons = frozenset(name for name, node in resolution.gazetteer.items() if node[0] == "PERSON")
    found: list[tuple[str, int, int, str, str]] = []  # article, start, end, text, name (a small share of mentions)
    for aid, body, spans in _bodies(con):
        for start, end, name in gazetteer_matches(body, [(s, e) for s, e, _i, _l in spans], index, persons):
            stats[resolution.gazetteer[name]].forms[name] += 1
            found.append((aid, start, end, body[start:end], name))
    _count_articles(con, stats, keys_table, [(aid, *resolution.gazetteer[name]) for aid, _s, _e, _t, name in found])
    resolution.choose_names(stats)

    def canonical_id(node: Node) -> tuple[str, str]:
        c_label, c_name = resolution.canonical.get(node, node)
        return ids.entity_id(c_label, c_name), c_label

    mention_rows = []
    for aid, start, end, text, name in found:
        eid, label = canonical_id(resolution.gazetteer[name])
        mention_rows.append(
            {
                "mention_id": ids.mention_id(aid, start, end),
                "article_id": aid,
                "entity_id": eid,
                "text": text,
                "label": label,
                "start_char": start,
                "end_char": end,
                "local_name": name,
                "method": "gazetteer",
            }
        )
    # The mapping of every (label, name) as stored to its canonical entity.
    name_rows = []
    for label, name in con.execute(sql_text("resolution_pairs")).fetchall():
        c_label, c_name = resolution.canonical.get((label, _key(name)), (label, name))
        name_rows.append({"label": label, "name": name, "entity_id": ids.entity_id(c_label, c_name)})
    entity_rows: dict[str, dict[str, str]] = {}
    for c_label, c_name in resolution.canonical.values():
        eid = ids.entity_id(c_label, c_name)
        entity_rows.setdefault(eid, {"entity_id": eid, "name": c_name, "label": c_label})
    for row in name_rows:  # names no rule touched keep their own entity
        if row["entity_id"] not in entity_rows:
            entity_rows[row["entity_id"]] = {"entity_id": row["entity_id"], "name": row["name"], "label": row["label"]}
    alias_rows: dict[tuple[str, str], dict[str, str]] = {}
    for node, (c_label, c_name) in resolution.canonical.items():
        eid = ids.entity_id(c_label, c_name)
        for form in stats[node].forms if node in stats else ():
            if _key(form) != _key(c_name):
                c_node = (c_label, _key(c_name))
                rule = resolution.rules.get(node) or resolution.rules.get(c_node) or "same-name"
                alias_rows.setdefault((form, eid), {"alias": form, "entity_id": eid, "rule": rule})
    for name, node in resolution.gazetteer.items():
        eid, _label = canonical_id(node)
        if _key(name) != _key(resolution.canonical.get(node, node)[1]):
            rule = resolution.rules.get(node, "alias-file")
            alias_rows.setdefault((name, eid), {"alias": name, "entity_id": eid, "rule": rule})
    tables = {
        "resolved_names": pa.Table.from_pylist(
            name_rows, schema=pa.schema([("label", pa.string()), ("name", pa.string()), ("entity_id", pa.string())])
        ),
        "resolved_entities": pa.Table.from_pylist(
            list(entity_rows.values()),
            schema=pa.schema([("entity_id", pa.string()), ("name", pa.string()), ("label", pa.string())]),
        ),
        "resolved_aliases": pa.Table.from_pylist(
            list(alias_rows.values()),
            schema=pa.schema([("alias", pa.string()), ("entity_id", pa.string()), ("rule", pa.string())]),
        ),
        "gazetteer_mentions": pa.Table.from_pylist(
            mention_rows,
            schema=pa.schema(
                [
                    ("mention_id", pa.string()),
                    ("article_id", pa.string()),
                    ("entity_id", pa.string()),
                    ("text", pa.string()),
                    ("label", pa.string()),
                    ("start_char", pa.int32()),
                    ("end_char", pa.int32()),
                    ("local_name", pa.string()),
                    ("method", pa.string()),
                ]
            ),
        ),
    }
    with registered(con, tables):
        for statement in sql_statements("resolve_entities"):
            con.execute(statement)
    return ResolutionResult(
        names=len(stats),
        entities=con.execute("SELECT count(*) FROM entities").fetchone()[0],
        gazetteer_mentions=len(found),
        aliases=len(alias_rows),
        seconds=time.perf_counter() - t0,
    )


def after_load(aliases_file: Path | None = None) -> Any:
    """The post-load step of a warehouse load: resolve entities, then re-cluster quotes (one transaction)."""
    from newsquotes.quote_clusters import update_quote_clusters

    aliases = default_aliases() + (load_alias_file(aliases_file) if aliases_file else [])

    def step(con: Any) -> dict[str, Any]:
        resolved = resolve_entities(con, aliases)
        clusters = update_quote_clusters(con)
        return {
            "entity_names": resolved.names,
            "entities": resolved.entities,
            "gazetteer_mentions": resolved.gazetteer_mentions,
            "entity_aliases": resolved.aliases,
            "resolution_s": round(resolved.seconds, 3),
            "quote_clusters": clusters["clusters"],
            "quote_cluster_s": round(clusters["seconds"], 3),
        }

    return step
