"""The monitoring dashboard for real: a local Prefect server, ``newsquotes serve``, ``prefect deploy`` + a worker,
runs triggered through the API and by the cron schedule, their artifacts read back through the API and seen
in the Prefect UI by headless Chromium.
"""

from __future__ import annotations

import html
import json
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
import httpx
import pytest
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    DeploymentFilter,
    DeploymentFilterId,
)
from prefect.client.schemas.objects import Artifact, ConcurrencyLimitStrategy, FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort

from tests.dashboard.support import ARTIFACTS_DIR, FINAL_STATES, SHORT_CRON, ServedDeployment, copy_samples
from tests.processes import REPO_ROOT, PrefectServer, log_tail, prefect_cli, run_bounded, stop_process, wait_for

pytestmark = [pytest.mark.dashboard, pytest.mark.integration]

RUN_TIMEOUT_S = 180.0  # a queued run may wait ~30 s for the deployment's concurrency slot, then ~30 s to run
SCHEDULED_RUN_TIMEOUT_S = 150.0  # from the start of serving: the next minute, then the run
CHROMIUM_TIMEOUT_S = 90.0
SERVE_TIMEOUT_S = 120.0
SAMPLE_ARTICLES = 4


# --- helpers -----------------------------------------------------------------------------------------------


def wait_final(client: SyncPrefectClient, flow_run_id: UUID, timeout_s: float, log: Path | None = None) -> FlowRun:
    def final() -> FlowRun | None:
        run = client.read_flow_run(flow_run_id)
        return run if run.state_type in FINAL_STATES else None

    return wait_for(final, timeout_s=timeout_s, what=f"flow run {flow_run_id} to finish", log=log)


def run_artifacts(client: SyncPrefectClient, flow_run_id: UUID) -> dict[str, Artifact]:
    artifacts = client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
    )
    return {a.key: a for a in artifacts if a.key}


def table_rows(artifact: Artifact) -> list[dict[str, Any]]:
    data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert isinstance(data, list)
    return data


def pipeline_run_row(warehouse: Path, flow_run_id: UUID) -> dict[str, Any]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute("SELECT * FROM pipeline_runs WHERE flow_run_id = ?", [str(flow_run_id)])
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    assert len(rows) == 1, f"pipeline_runs rows for flow run {flow_run_id}: {rows}"
    return dict(zip(names, rows[0], strict=True))


def figure(markdown: str, name: str) -> str:
    """The value of one row of the summary's figures table."""
    match = re.search(rf"^\| {re.escape(name)} \| (.*) \|$", markdown, re.MULTILINE)
    assert match, f"no figure {name!r} in the summary"
    return match.group(1)


def assert_run_published(client: SyncPrefectClient, run: FlowRun, warehouse: Path) -> dict[str, Artifact]:
    """The run's artifacts carry the figures of its ``pipeline_runs`` row."""
    row = pipeline_run_row(warehouse, run.id)
    assert row["status"] in {"completed", "warned"} and row["articles_loaded"] == SAMPLE_ARTICLES
    artifacts = run_artifacts(client, run.id)
    assert {"newsquotes-summary", "newsquotes-top-speakers", "newsquotes-nlp-progress", "newsquotes-warehouse"} <= set(
        artifacts
    ), sorted(artifacts)

    summary = str(artifacts["newsquotes-summary"].data)
    assert f"| articles loaded | {SAMPLE_ARTICLES} |" in summary
    assert figure(summary, "status") == row["status"]
    assert figure(summary, "articles read") == str(row["articles_read"])
    assert figure(summary, "articles rejected") == "0"
    assert figure(summary, "entities / mentions extracted") == f"{row['entities']} / {row['mentions']}"
    assert figure(summary, "quotes (attributed)").startswith(f"{row['quotes']} ({row['quotes_attributed']}, ")
    assert figure(summary, "checks passed / failed") == f"{row['checks_passed']} / {row['checks_failed']}"
    assert re.fullmatch(r"[\d,.]+ articles/s · [\d,]+ words/s", figure(summary, "throughput"))
    assert "## Data-quality checks" in summary

    speakers = table_rows(artifacts["newsquotes-top-speakers"])
    assert speakers and all(r["speaker_name"] and r["quotes"] >= 1 for r in speakers)
    assert "Graham Whitlock" in {r["speaker_name"] for r in speakers}
    assert artifacts["newsquotes-nlp-progress"].data == 100
    assert str(warehouse) in str(artifacts["newsquotes-warehouse"].data)
    return artifacts


# --- the served deployment, a run triggered through the API ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManualRun:
    run: FlowRun
    warehouse: Path
    artifacts: dict[str, Artifact]


@pytest.fixture(scope="module")
def manual_run(
    prefect_server: PrefectServer, served: ServedDeployment, tmp_path_factory: pytest.TempPathFactory
) -> ManualRun:
    """A run of the served deployment created through the API, with its own input, warehouse and lake."""
    root = tmp_path_factory.mktemp("manual-run")
    samples = copy_samples(root / "input")
    warehouse = root / "wh" / "newsquotes.duckdb"
    params = {"input_dir": str(samples), "warehouse": str(warehouse), "parquet_dir": str(root / "lake")}
    with prefect_server.client() as client:
        created = client.create_flow_run_from_deployment(UUID(served.deployment_id), parameters=params)
        run = wait_final(client, created.id, RUN_TIMEOUT_S, log=served.log)
        assert run.state_type == StateType.COMPLETED, f"{run.state}\n{log_tail(served.log)}"
        artifacts = assert_run_published(client, run, warehouse)
    return ManualRun(run, warehouse, artifacts)


def test_served_deployment_has_the_schedule_and_one_writer(prefect_server: PrefectServer, served: ServedDeployment):
    with prefect_server.client() as client:
        deployment = client.read_deployment(UUID(served.deployment_id))
    assert deployment.entrypoint == "flows.ingest.ingest_flow"
    assert [s.schedule.cron for s in deployment.schedules] == [SHORT_CRON]  # type: ignore[union-attr]
    assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
    assert deployment.concurrency_options is not None
    assert deployment.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.ENQUEUE
    assert deployment.parameters == {
        "input_dir": str(served.input_dir),
        "warehouse": str(served.warehouse),
        "parquet_dir": str(served.parquet_dir),
    }


def test_triggered_run_completes_and_publishes_its_artifacts(manual_run: ManualRun) -> None:
    # everything is asserted by the fixture through the API; here the run's own record
    assert manual_run.run.state_type == StateType.COMPLETED
    assert not manual_run.run.auto_scheduled
    assert manual_run.run.parameters["warehouse"] == str(manual_run.warehouse)


# --- the Prefect UI in headless Chromium -------------------------------------------------------------------


def ui_base(server: PrefectServer) -> str:
    """The UI's base path: the V2 UI (Prefect's default) when it is served."""
    settings = httpx.get(f"{server.url}/ui-settings", timeout=10).json()
    base = settings.get("v2_base_url") if "v2" in settings.get("available_uis", []) else settings.get("v1_base_url")
    return str(base or "/").rstrip("/")


def render(chromium: str, url: str, screenshot: Path, profile: Path) -> str:
    """Open ``url`` in headless Chromium; save a screenshot and return the DOM after the page settled."""
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    profile.mkdir(parents=True, exist_ok=True)
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    args += [f"--user-data-dir={profile}", "--window-size=1400,2400", "--hide-scrollbars"]
    args += ["--virtual-time-budget=20000", f"--screenshot={screenshot}", "--dump-dom", url]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=CHROMIUM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop_process(proc, grace_s=5)
        pytest.fail(f"Chromium did not finish rendering {url} within {CHROMIUM_TIMEOUT_S:.0f} s")
    assert proc.returncode == 0, err.decode(errors="replace")[-3000:]
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000, f"no screenshot of {url}"
    return out.decode(errors="replace")


def visible_text(dom: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.DOTALL | re.IGNORECASE)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_ui_renders_the_runs_summary_artifact(
    prefect_server: PrefectServer, manual_run: ManualRun, chromium: str, tmp_path: Path
) -> None:
    base = f"{prefect_server.url}{ui_base(prefect_server)}"
    run_id = manual_run.run.id

    # the flow run's Artifacts tab lists this run's artifacts
    dom = render(
        chromium,
        f"{base}/runs/flow-run/{run_id}?tab=Artifacts",
        ARTIFACTS_DIR / "flow-run-artifacts.png",
        tmp_path / "profile-run",
    )
    text = visible_text(dom)
    assert manual_run.run.name in text, text[:2000]
    for key in ("newsquotes-summary", "newsquotes-top-speakers", "newsquotes-nlp-progress"):
        assert key in text, f"{key} not on the run's Artifacts tab: {text[:2000]}"

    # the summary artifact renders its Markdown as HTML tables
    summary_id = manual_run.artifacts["newsquotes-summary"].id
    dom = render(
        chromium,
        f"{base}/artifacts/artifact/{summary_id}",
        ARTIFACTS_DIR / "summary-artifact.png",
        tmp_path / "profile-artifact",
    )
    assert re.search(rf"<td[^>]*>\s*articles loaded\s*</td>\s*<td[^>]*>\s*{SAMPLE_ARTICLES}\s*</td>", dom), (
        visible_text(dom)[:2000]
    )
    assert re.search(r"<td[^>]*>\s*throughput\s*</td>", dom)
    assert "Data-quality checks" in visible_text(dom)


# --- the team path: prefect.yaml, `prefect deploy`, a process worker ---------------------------------------


def test_prefect_yaml_deploys_to_a_process_pool_and_a_worker_runs_it(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    env = prefect_server.client_env("team")
    log = tmp_path / "cli.log"
    with prefect_server.client() as client:  # what `prefect work-pool create newsquotes --type process` does
        client.create_work_pool(WorkPoolCreate(name="newsquotes", type="process"))
    # `prefect deploy` reads ./prefect.yaml and records this folder as the worker's working directory
    rc = run_bounded([*prefect_cli(), "--no-prompt", "deploy", "--all"], env, REPO_ROOT, log, 180)
    assert rc == 0, log_tail(log)

    samples = copy_samples(tmp_path / "input")
    warehouse = tmp_path / "wh" / "newsquotes.duckdb"
    with prefect_server.client() as client:
        deployment = client.read_deployment_by_name("newsquotes-ingest/nightly")
        assert deployment.work_pool_name == "newsquotes"
        assert [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules] == [("0 2 * * *", "UTC")]  # type: ignore[union-attr]
        assert deployment.global_concurrency_limit is not None and deployment.global_concurrency_limit.limit == 1
        assert set(deployment.parameters) == {"input_dir", "warehouse", "parquet_dir"}
        assert deployment.pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}
        ]
        params = {"input_dir": str(samples), "warehouse": str(warehouse), "parquet_dir": str(tmp_path / "lake")}
        created = client.create_flow_run_from_deployment(deployment.id, parameters=params)

        worker_log = tmp_path / "worker.log"
        rc = run_bounded(
            [*prefect_cli(), "worker", "start", "--pool", "newsquotes", "--run-once"], env, tmp_path, worker_log, 240
        )
        assert rc == 0, log_tail(worker_log)
        run = wait_final(client, created.id, 30, log=worker_log)
        assert run.state_type == StateType.COMPLETED, f"{run.state}\n{log_tail(worker_log)}"
        assert_run_published(client, run, warehouse)


# --- the scheduler: `newsquotes serve` with a short cron ---------------------------------------------------


def test_short_cron_creates_and_runs_a_scheduled_run(prefect_server: PrefectServer, served: ServedDeployment) -> None:
    of_deployment = DeploymentFilter(id=DeploymentFilterId(any_=[UUID(served.deployment_id)]))
    remaining = max(5.0, served.started + SCHEDULED_RUN_TIMEOUT_S - time.monotonic())
    with prefect_server.client() as client:

        def scheduled_run_finished() -> FlowRun | None:
            """The first scheduled run (later ones find every article unchanged), once it has finished."""
            runs = client.read_flow_runs(deployment_filter=of_deployment, sort=FlowRunSort.EXPECTED_START_TIME_ASC)
            first = next((r for r in runs if r.auto_scheduled), None)
            return first if first is not None and first.state_type in FINAL_STATES else None

        run = wait_for(
            scheduled_run_finished,
            timeout_s=remaining,
            what="a scheduled run of the served deployment to finish",
            interval_s=2.0,
            log=served.log,
        )
        assert run.state_type == StateType.COMPLETED, f"{run.state}\n{log_tail(served.log)}"
        # created by the server's scheduler from the cron, with the deployment's default parameters
        assert run.expected_start_time is not None and run.expected_start_time.second == 0
        assert run.parameters["warehouse"] == str(served.warehouse)
        assert run.parameters["input_dir"] == str(served.input_dir)
        assert_run_published(client, run, served.warehouse)
        # seen: no more runs every minute for the rest of the module
        client.pause_deployment(served.deployment_id)


# --- `newsquotes serve` stopped with Ctrl+C, then started again -------------------------------------------


def test_ctrl_c_pauses_the_served_schedule_and_the_next_serve_resumes_it(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    name = "resume-test"
    samples = copy_samples(tmp_path / "input")
    args = [sys.executable, "-m", "newsquotes.cli", "serve", "--name", name, "--input", str(samples)]
    args += ["--warehouse", str(tmp_path / "wh" / "newsquotes.duckdb"), "--parquet-dir", str(tmp_path / "lake")]
    env = prefect_server.client_env("resume")  # nightly cron (the default): nothing comes due during the test

    def serving(log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            return subprocess.Popen(
                args, env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def schedule_state(client: SyncPrefectClient) -> tuple[bool, list[bool]] | None:
        try:
            deployment = client.read_deployment_by_name(f"newsquotes-ingest/{name}")
        except Exception:
            return None
        return bool(deployment.paused), [bool(s.active) for s in deployment.schedules]

    def polled(client: SyncPrefectClient) -> bool:
        try:
            return client.read_deployment_by_name(f"newsquotes-ingest/{name}").last_polled is not None
        except Exception:
            return False

    with prefect_server.client() as client:
        first_log = tmp_path / "serve-1.log"
        first = serving(first_log)
        try:
            # serving for real: the runner has polled the server for the deployment's runs (a Ctrl+C before that
            # interrupts the start-up, not the runner)
            wait_for(
                lambda: True if polled(client) else None,
                timeout_s=SERVE_TIMEOUT_S,
                what="`newsquotes serve` to poll for its deployment's runs",
                proc=first,
                log=first_log,
            )
            assert schedule_state(client) == (False, [True])
            first.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                first.wait(timeout=30)
            except subprocess.TimeoutExpired:
                # on a loaded machine Prefect's runner has been seen to miss the first SIGINT (nothing logged):
                # press Ctrl+C again, as a user would; the schedule must still end up paused
                first.send_signal(signal.SIGINT)
                first.wait(timeout=60)
        finally:
            stop_process(first)
        paused = schedule_state(client)
        assert paused is not None and paused[0] and len(paused[1]) == 1, (paused, log_tail(first_log))

        second_log = tmp_path / "serve-2.log"
        second = serving(second_log)
        try:
            wait_for(
                lambda: True if schedule_state(client) == (False, [True]) else None,
                timeout_s=SERVE_TIMEOUT_S,
                what="the next `newsquotes serve` to resume the schedule",
                proc=second,
                log=second_log,
            )
        finally:
            stop_process(second)
