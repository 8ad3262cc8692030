"""Bytes of an article file → normalised text.

Encoding detection, in order:

1. Known binary formats are rejected by their magic number (PNG, JPEG, GIF, WebP, TIFF, PDF, ZIP/OOXML,
   gzip, bzip2, xz, zstd, 7z, RAR, OLE2 .doc/.xls, ELF).
2. A byte-order mark decides: UTF-8 (BOM dropped), UTF-32 LE/BE, UTF-16 LE/BE.
3. Without a BOM, NUL bytes mean UTF-16 only when they follow its pattern (NUL in nearly every other byte:
   odd positions → little-endian, even positions → big-endian); any other NUL byte means binary content.
4. Strict UTF-8.
5. Otherwise Windows-1252 (curly quotes, dashes, € in bytes 0x80–0x9F), byte by byte, so a UTF-8 file with a
   few stray cp1252 bytes keeps its valid UTF-8 characters; the five bytes cp1252 leaves undefined fall back
   to Latin-1.

Then newlines become "\\n" (CRLF, CR, U+2028; U+2029 becomes a blank line), the text is put in Unicode NFC,
non-breaking spaces (U+00A0, U+2007, U+202F) become plain spaces and stray U+FEFF marks are dropped.
Curly quotes, dashes and every other character are left exactly as they are. Text that still contains NUL
or a noticeable share of control characters is rejected as binary, and so is empty or whitespace-only input.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from newsquotes.text.errors import ArticleDecodeError

__all__ = ["decode_bytes", "detect_encoding"]

# (magic prefix, offset, description). Only unambiguous signatures: none of them starts ordinary prose.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"WEBP", 8, "a WebP image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"%PDF-", 0, "a PDF document"),
    (b"PK\x03\x04", 0, "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", 0, "a ZIP archive"),
    (b"PK\x07\x08", 0, "a ZIP archive"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"BZh", 0, "a bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "an xz archive"),
    (b"\x28\xb5\x2f\xfd", 0, "a zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7z archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an OLE2 document (DOC/XLS)"),
    (b"\x7fELF", 0, "an ELF executable"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_NEWLINES = re.compile(r"\r\n?|\u2028")
_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 controls other than tab/newline/vertical tab/form feed/carriage return, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")
_MAX_CONTROL_SHARE = 0.01  # more control characters than 1% of the text (and than 3) means binary
_MAX_CONTROL_CHARS = 3
_SNIFF_BYTES = 64 * 1024

# cp1252 for every byte; Latin-1 for the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
_CP1252_TABLE: tuple[str, ...] = tuple(
    bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in range(256)
)
_ERROR_HANDLER = "newsquotes-cp1252-fallback"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252_TABLE[b] for b in bad), error.end


codecs.register_error(_ERROR_HANDLER, _cp1252_fallback)


def _magic(data: bytes) -> str | None:
    for magic, offset, name in _MAGIC:
        if data.startswith(magic, offset):
            if magic == b"BZh" and not _BZIP2.match(data):
                continue
            if magic == b"WEBP" and not data.startswith(b"RIFF"):
                continue
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit in nearly every other byte, else None."""
    sample = data[:_SNIFF_BYTES]
    half = len(sample) // 2
    if half == 0:
        return None
    even_nuls = sample[0::2].count(0) / half
    odd_nuls = sample[1::2].count(0) / half
    if odd_nuls >= 0.3 and even_nuls <= 0.02:
        return "utf-16-le"
    if even_nuls >= 0.3 and odd_nuls <= 0.02:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    """The codec decode_bytes uses for data: a BOM codec, 'utf-16-le'/'utf-16-be', 'utf-8' or 'cp1252'.

    Raises ValueError (not ArticleDecodeError: no path is known here) for NUL bytes outside a UTF-16 pattern.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ValueError("NUL bytes in a file that is not UTF-16: binary content")
        return utf16
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _normalise(text: str) -> str:
    if _SURROGATE.search(text):  # only from JSON escapes ("\ud800"): not text, and not storable as UTF-8
        text = _SURROGATE.sub("\ufffd", text)
    text = _NEWLINES.sub("\n", text).replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _NBSP.sub(" ", text)
    return text.replace("\ufeff", "")


def decode_bytes(data: bytes, *, path: str) -> str:
    """Decode an article file's bytes to normalised text (see the module docstring).

    Raises ArticleDecodeError(path, reason) for empty, whitespace-only or binary content.
    """
    if not data:
        raise ArticleDecodeError(path, "empty file (0 bytes)")
    kind = _magic(data)
    if kind is not None:
        raise ArticleDecodeError(path, f"binary content: looks like {kind}")
    try:
        codec = detect_encoding(data)
    except ValueError as exc:
        raise ArticleDecodeError(path, str(exc)) from None
    if codec == "cp1252":
        text = data.decode("utf-8", errors=_ERROR_HANDLER)
    else:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise ArticleDecodeError(path, f"invalid {codec} at byte {exc.start}: {exc.reason}") from None
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(_MAX_CONTROL_CHARS, _MAX_CONTROL_SHARE * len(text)):
        raise ArticleDecodeError(path, f"binary content: {controls} control characters in {len(text)}")
    text = _normalise(text)
    if not text.strip():
        raise ArticleDecodeError(path, "no text: the file is empty or whitespace only")
    return text
