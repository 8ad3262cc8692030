"""Word lists of speaker attribution, in one place: cue verbs, pronouns, organisation, role and source nouns,
titles and the parse relations the rules climb (used by ``speakers``, ``pronouns`` and ``attribution``)."""

from __future__ import annotations

import re

CUE_LEMMAS = frozenset(
    {
        "say", "tell", "add", "claim", "warn", "insist", "argue", "admit", "explain", "announce", "state",
        "declare", "note", "suggest", "acknowledge", "confirm", "deny", "reply", "respond", "write", "ask",
        "urge", "predict", "describe", "call", "brand", "dub", "joke", "concede", "continue", "conclude",
        "promise", "blame", "comment", "remark", "recall", "stress", "emphasise", "emphasize", "complain",
        "reveal", "accuse", "maintain", "tweet", "quip", "hail", "attack", "criticise", "criticize",
        "praise", "vow", "pledge", "assert", "contend", "testify", "dismiss", "condemn", "label", "term",
        "report", "observe", "agree", "boast", "laugh", "shout", "scream", "whisper", "cry", "demand",
        "plead", "reiterate", "affirm", "allege", "answer", "caution", "charge", "counter",
        "retort", "snap", "sigh", "smile", "grin", "muse", "ponder", "wonder", "believe", "think", "feel",
        "characterise", "characterize", "point", "tout", "welcome", "slam", "blast", "lament",
        "indicate", "signal", "forecast", "estimate", "threaten", "guarantee", "assure",
        "inform", "advise", "recommend", "propose", "question", "challenge", "rebut", "reject", "refute",
        "voice", "express", "echo", "interject", "exclaim", "proclaim", "recount", "elaborate", "scoff",
        "fume", "gush", "thunder", "chime", "mention", "marvel", "grouse", "gripe", "grumble", "mutter", "murmur",
        "bellow", "yell", "holler", "chant", "rant", "boom",
    }
)  # fmt: skip
# Cues that report speech only when they introduce a quote directly (not "asked for an inquiry").
WEAK_CUE_LEMMAS = frozenset({"ask", "call", "continue", "believe", "think", "feel", "point", "smile", "grin"})
# Cues that report speech only in the active voice ("both sides voiced "…"", "she expressed her anger").
ACTIVE_ONLY_CUE_LEMMAS = frozenset({"voice", "express"})
# Cues that name things rather than report what somebody said ("dubbed "pioneers" and "materialists"").
NAMING_CUE_LEMMAS = frozenset({"dub", "label", "term", "name", "call"})
PERSON_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
GROUP_PRONOUNS = frozenset({"they", "it", "them"})
SPOKES_NOUNS = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen",
        "representative", "official", "officials", "source", "sources", "statement", "release",
        "report", "website", "aide", "adviser", "advisor", "insider", "survey", "study", "poll",
    }
)  # fmt: skip
ORG_NOUNS = frozenset(
    {
        "ministry", "company", "firm", "bank", "government", "department", "committee", "group", "club",
        "police", "union", "council", "commission", "court", "party", "agency", "office", "board",
        "authority", "regulator", "association", "federation", "organisation", "organization", "team",
        "network", "retailer", "airline", "carrier", "operator", "studio", "label", "band", "consortium",
        "institute", "foundation", "charity", "league", "body", "administration", "cabinet", "embassy",
        "army", "military", "service", "corporation", "giant", "maker", "manufacturer", "insurer",
        "lender", "watchdog", "campaign", "movement", "alliance", "coalition", "parliament", "senate",
        "house", "white", "kremlin", "treasury", "school", "university", "hospital", "center", "centre",
    }
)  # fmt: skip
ROLE_NOUNS = frozenset(
    {
        "boss", "manager", "coach", "striker", "midfielder", "defender", "goalkeeper", "captain", "skipper",
        "player", "star", "chief", "head", "director", "chairman", "chairwoman", "chair", "president",
        "minister", "secretary", "chancellor", "leader", "premier", "governor", "mayor", "senator", "mp",
        "actor", "actress", "singer", "producer", "executive", "founder", "economist",
        "analyst", "strategist", "officer", "commissioner", "ambassador", "envoy", "prosecutor", "judge",
        "lawyer", "attorney", "veteran", "champion", "winner", "presenter", "host", "writer", "author",
        "pop", "rapper", "comedian", "spokesman", "spokeswoman", "frontman", "trainer",
    }
)  # fmt: skip
RANK_TITLES = frozenset(
    {
        "lt", "col", "gen", "maj", "capt", "sgt", "cpl", "pte", "adm", "cmdr", "lieutenant", "colonel",
        "general", "major", "captain", "sergeant", "president", "vice", "prime", "minister", "secretary",
        "chancellor", "senator", "sen", "rep", "gov", "governor", "judge", "justice", "chief", "inspector",
        "detective", "supt", "superintendent", "officer", "constable", "coach", "manager", "striker",
    }
)  # fmt: skip
ORG_SUFFIXES = frozenset(
    {
        "inc", "ltd", "plc", "corp", "llc", "co", "group", "holdings", "international", "media", "news",
        "capital", "partners", "associates", "systems", "technologies", "airlines", "airways", "motors",
        "energy", "economics", "research", "securities", "times", "post", "journal", "telegraph", "bbc",
    }
)  # fmt: skip
_DASH_RE = re.compile(r"[ \t\u00a0]*(?:[—―–]|--?)[ \t\u00a0]*")  # a dash that signs a quote with a name
_AGE_RE = re.compile(r"^\d+-year-old$")
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})  # LOC/FAC speak as ORG
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Roles held by someone other than the story's subject ("the judge said", "the prosecutor told").
RELATIONAL_ROLES = frozenset(
    {"judge", "prosecutor", "lawyer", "attorney", "officer", "commissioner", "ambassador", "envoy",
     "host", "presenter", "spokesman", "spokeswoman", "analyst", "economist", "strategist", "trainer"}
)  # fmt: skip
ANONYMOUS_SOURCES = frozenset({"source", "insider", "aide", "confidant", "ally", "friend", "colleague"})
_DEMONYM_ENDINGS = ("lander", "zealander", "ian", "ese", "frenchman", "englishman", "scotsman", "welshman")
_SPOKESPERSON = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_STUDY_NOUNS = frozenset({"survey", "study", "poll"})  # speak for the organisation named before them
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_TIME_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight", "morning", "evening", "afternoon", "night"})


def is_time_word(tok) -> bool:  # type: ignore[no-untyped-def]
    """A day or time (``who Beck on Wednesday called …``): never the speaker; an age (``the 46-year-old``) is."""
    return tok.ent_type_ == "TIME" or (tok.ent_type_ == "DATE" and (tok.pos_ == "PROPN" or tok.lower_ in _TIME_WORDS))
_CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "acl"})
_PHRASE_STOP_DEPS = frozenset({"relcl", "acl", "punct", "cc", "prep"})


COLLECTIVE_NOUNS = frozenset(
    {
        "side", "country", "nation", "party", "government", "state", "leader", "minister", "delegation",
        "partner", "ally", "power", "neighbour", "neighbor", "counterpart", "signatory",
    }
)  # fmt: skip
_COLLECTIVE_DETERMINERS = frozenset({"both", "the", "all", "two", "three", "four", "several"})
