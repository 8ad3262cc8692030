"""The report's refusals and its charts' text (no browser: see tests/dashboard/test_report_and_alerts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsquotes.html_report import ReportError, read_report_data, render_report, write_report
from newsquotes.svg_charts import bar_chart, line_chart
from newsquotes.warehouse_db import connect


def test_report_of_an_empty_warehouse_and_the_refusals(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    with connect(wh):
        pass
    out = write_report(wh, tmp_path / "out" / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "No runs recorded yet." in html and "<script" not in html
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temporary file left

    with pytest.raises(ReportError, match=r"nope\.duckdb: no such file"):
        read_report_data(tmp_path / "nope.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(ReportError, match=r"cannot read the warehouse .*junk\.duckdb"):
        read_report_data(junk)
    with connect(wh) as con:
        con.execute("UPDATE schema_info SET schema_version = 4")
    with pytest.raises(ReportError, match=r"schema version 4, this newsquotes reads 5"):
        read_report_data(wh)


def test_charts_escape_their_text_and_survive_gaps() -> None:
    svg = line_chart([1.0, None, 3.0], ["a", "b", "<c>"], title="x & y", fmt=str)
    assert "x &amp; y" in svg and "&lt;c&gt;" in svg and svg.count("<circle") == 2
    assert "<polyline" not in svg  # no two neighbouring values: dots only
    assert bar_chart([], title="none", fmt=str).endswith("</svg>")
    assert render_report.__doc__
