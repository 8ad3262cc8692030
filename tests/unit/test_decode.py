"""decode_bytes: encodings, normalisation and rejection of non-text files (small files in tmp dirs)."""

from __future__ import annotations

import codecs
import pickle
from pathlib import Path

import pytest

from newsquotes.text.decode import decode_bytes, detect_encoding
from newsquotes.text.errors import ArticleDecodeError, ArticleParseError

TEXT = "Minister’s “plan” – café\nHe said: “We will act.”\n"


def _decode_file(tmp_path: Path, data: bytes, name: str = "article.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return decode_bytes(path.read_bytes(), path=str(path))


def _reject(tmp_path: Path, data: bytes, name: str = "article.txt") -> ArticleDecodeError:
    with pytest.raises(ArticleDecodeError) as info:
        _decode_file(tmp_path, data, name)
    return info.value


# ---------------------------------------------------------------------------------------------- encodings


def test_utf8(tmp_path: Path) -> None:
    assert _decode_file(tmp_path, TEXT.encode("utf-8")) == TEXT


def test_utf8_with_bom_drops_the_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    assert detect_encoding(data) == "utf-8-sig"
    assert _decode_file(tmp_path, data) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + TEXT.encode(codec)
    assert _decode_file(tmp_path, data) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_pattern(tmp_path: Path, codec: str) -> None:
    data = TEXT.encode(codec)
    assert detect_encoding(data) == codec
    assert _decode_file(tmp_path, data) == TEXT


def test_utf32_with_bom(tmp_path: Path) -> None:
    assert _decode_file(tmp_path, TEXT.encode("utf-32")) == TEXT


def test_cp1252_keeps_curly_quotes_and_dashes(tmp_path: Path) -> None:
    data = TEXT.encode("cp1252")
    assert b"\x93" in data and b"\x96" in data  # “ and – in their cp1252 bytes, invalid as UTF-8
    assert detect_encoding(data) == "cp1252"
    assert _decode_file(tmp_path, data) == TEXT


def test_latin1_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    assert _decode_file(tmp_path, b"caf\xe9 \x81ok") == "café \x81ok"


def test_utf8_file_with_a_stray_cp1252_quote_keeps_its_utf8(tmp_path: Path) -> None:
    data = "Zürich café ".encode() + b"\x93quoted\x94"
    assert _decode_file(tmp_path, data) == "Zürich café “quoted”"


# ---------------------------------------------------------------------------------------------- normalisation


def test_newlines_become_lf(tmp_path: Path) -> None:
    assert _decode_file(tmp_path, b"Title\r\n\r\nOne.\rTwo.\n") == "Title\n\nOne.\nTwo.\n"
    assert _decode_file(tmp_path, "A\u2028B\u2029C".encode()) == "A\nB\n\nC"


def test_nfc_and_non_breaking_spaces(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301\u00a0ouvert\u202fici\u2007!"
    assert _decode_file(tmp_path, decomposed.encode()) == "Café ouvert ici !"


def test_curly_and_straight_quotes_are_left_alone(tmp_path: Path) -> None:
    text = "“curly” ‘single’ \"straight\" 'apostrophe' «guillemets»"
    assert _decode_file(tmp_path, text.encode()) == text


def test_stray_bom_inside_text_is_dropped(tmp_path: Path) -> None:
    assert _decode_file(tmp_path, "One\ufeff two".encode()) == "One two"


# ---------------------------------------------------------------------------------------------- rejection


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "JPEG"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00" + bytes(32), "GIF"),
        ("story.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64), "ZIP"),
        ("story.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("story.gz", b"\x1f\x8b\x08\x00" + bytes(32), "gzip"),
        ("story.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "OLE2"),
    ],
)
def test_binary_formats_are_rejected_by_magic_number(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    error = _reject(tmp_path, data, name)
    assert kind in error.reason
    assert error.path.endswith(name)


def test_nul_bytes_in_a_utf8_file_are_binary(tmp_path: Path) -> None:
    error = _reject(tmp_path, b"Title\n\nSome text\x00\x00\x01 and more text here.\n")
    assert "NUL" in error.reason


def test_control_characters_are_binary(tmp_path: Path) -> None:
    error = _reject(tmp_path, bytes(range(1, 32)) * 4 + b"some text")
    assert "binary" in error.reason


def test_text_that_merely_starts_like_an_archive_name_is_accepted(tmp_path: Path) -> None:
    # libmagic calls these "MAR archive" / "SBC archive"; only exact signatures count here.
    for text in (
        "Go-ahead for Balkan oil pipeline\n",
        "SBC plans post-takeover job cuts\n",
        "BZh is not bzip2\n",
    ):
        assert _decode_file(tmp_path, text.encode()) == text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n  ",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"\n\n",
        "\u00a0\u2029".encode(),
        "  ".encode("utf-16"),
    ],
)
def test_empty_or_whitespace_only_is_rejected(tmp_path: Path, data: bytes) -> None:
    error = _reject(tmp_path, data)
    assert "empty" in error.reason or "whitespace" in error.reason


# ---------------------------------------------------------------------------------------------- the errors


def test_errors_name_file_and_reason_and_pickle() -> None:
    error = ArticleDecodeError("in/a.txt", "binary content: looks like a PNG image")
    assert isinstance(error, ValueError)
    assert (error.path, error.reason) == ("in/a.txt", "binary content: looks like a PNG image")
    assert str(error) == "in/a.txt: binary content: looks like a PNG image"
    clone = pickle.loads(pickle.dumps(error))
    assert (type(clone), clone.path, clone.reason) == (ArticleDecodeError, error.path, error.reason)
    parse_error = ArticleParseError("in/b.txt", "no title")
    assert isinstance(parse_error, ValueError) and str(parse_error) == "in/b.txt: no title"
