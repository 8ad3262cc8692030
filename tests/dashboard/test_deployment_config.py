"""The deployment definitions without a server: `newsquotes serve`'s deployment, prefect.yaml, the summary's
throughput and the progress figure."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from prefect.cli.deploy._models import PrefectYamlModel, RawScheduleConfig
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule

from flows.ingest import ingest_flow
from flows.serve import build_deployment
from newsquotes.report import RunSummary, summary_markdown, summary_text
from newsquotes.settings import Settings
from tasks.report import progress_percent
from tests.processes import REPO_ROOT, base_env


def test_serve_deployment_takes_cron_name_and_paths_from_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", input_dir=tmp_path / "in")
    deployment = build_deployment(settings)
    assert deployment.name == settings.deployment_name == "nightly"
    assert deployment.flow_name == "newsquotes-ingest"
    assert deployment.entrypoint == "flows.ingest.ingest_flow"
    [schedule] = deployment.schedules or []
    assert isinstance(schedule.schedule, CronSchedule)
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "UTC")
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options is not None
    assert deployment.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.ENQUEUE
    assert deployment.parameters == {
        "input_dir": str((tmp_path / "in").resolve()),
        "warehouse": str((tmp_path / "data" / "newsquotes.duckdb").resolve()),
        "parquet_dir": str((tmp_path / "data" / "lake").resolve()),
    }


def test_serve_cron_and_name_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSQUOTES_SCHEDULE_CRON", "30 5 * * 1-5")
    monkeypatch.setenv("NEWSQUOTES_SCHEDULE_TIMEZONE", "Europe/London")
    deployment = build_deployment(Settings())
    [schedule] = deployment.schedules or []
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 5 * * 1-5", "Europe/London")  # type: ignore[union-attr]
    deployment = build_deployment(Settings(), cron="*/5 * * * *", name="every-five")
    assert deployment.name == "every-five"
    assert deployment.schedules[0].schedule.cron == "*/5 * * * *"  # type: ignore[index,union-attr]


def test_a_bad_cron_is_refused_before_anything_is_served() -> None:
    with pytest.raises(ValueError):
        build_deployment(Settings(), cron="every night")


def test_serve_without_a_prefect_server_says_how_to_start_one(tmp_path: Path) -> None:
    env = {**base_env(), "PREFECT_HOME": str(tmp_path / "prefect")}
    proc = subprocess.run(
        [sys.executable, "-m", "newsquotes.cli", "serve"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "make dashboard" in proc.stderr and "PREFECT_API_URL" in proc.stderr


def test_prefect_yaml_deploys_the_ingest_flow_nightly_with_one_writer() -> None:
    raw = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    config = PrefectYamlModel.model_validate(raw)
    [deployment] = config.deployments
    # `flows/ingest.py:ingest_flow`, the flow this package imports (loading it by path would touch sys.path)
    assert deployment.entrypoint is not None
    path, _, name = deployment.entrypoint.partition(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert getattr(module, name) is ingest_flow and (REPO_ROOT / path).is_file()
    assert set(deployment.parameters) == {"input_dir", "warehouse", "parquet_dir"}
    assert set(deployment.parameters) <= set(inspect.signature(ingest_flow.fn).parameters)
    assert (REPO_ROOT / deployment.parameters["input_dir"]).is_dir()
    [schedule] = deployment.schedules or []
    assert isinstance(schedule, RawScheduleConfig)
    assert schedule.cron == Settings().schedule_cron and schedule.timezone == "UTC"
    CronSchedule(cron=schedule.cron, timezone=schedule.timezone)
    limit = raw["deployments"][0]["concurrency_limit"]
    assert limit == {"limit": 1, "collision_strategy": "ENQUEUE"}
    assert deployment.work_pool is not None and deployment.work_pool.name == "newsquotes"


def test_progress_percent() -> None:
    assert progress_percent(0, 10) == 0.0
    assert progress_percent(64, 200) == 32.0
    assert progress_percent(128, 100) == 100.0  # the last batch overshoots
    assert progress_percent(0, 0) == 100.0  # nothing to do is done


def test_summary_shows_duration_and_throughput() -> None:
    started = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    summary = RunSummary(
        run_id="r1",
        input_dir="in",
        warehouse="wh.duckdb",
        lake="lake",
        started_at=started,
        finished_at=started + timedelta(seconds=8),
        status="completed",
        articles_read=4,
        articles_loaded=4,
        words=2000,
        data_docs="/tmp/docs/index.html",
    )
    markdown = summary_markdown(summary)
    assert "| duration | 8.0 s |" in markdown
    assert "| throughput | 0.50 articles/s · 250 words/s |" in markdown
    assert "/tmp/docs/index.html" in markdown
    figures = summary.as_dict()
    assert figures["articles_per_s"] == 0.5 and figures["words_per_s"] == 250.0


def test_a_run_with_nothing_new_says_so_and_has_no_throughput() -> None:
    started = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    rerun = RunSummary(
        run_id="r2",
        input_dir="in",
        warehouse="wh.duckdb",
        lake="lake",
        started_at=started,
        finished_at=started + timedelta(seconds=3),
        status="completed",
        files_seen=4,
        articles_read=4,
        articles_skipped=4,
        warehouse_totals={"articles": 4, "entities": 9},
    )
    text, markdown = summary_text(rerun), summary_markdown(rerun)
    for shown in (text, markdown):
        assert "nothing new" in shown and "throughput" not in shown and "words/s" not in shown
    assert "this run" in text and "warehouse now holds (all runs)" in text
    assert "## This run" in markdown and "| entities | 9 |" in markdown
    one_new = replace(rerun, articles_loaded=1, articles_skipped=3, words=500)
    assert "nothing new" not in summary_text(one_new) and "words/s" in summary_text(one_new)
