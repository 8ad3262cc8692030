"""Errors that reject one input file (or record) without stopping the run."""

from __future__ import annotations


class IngestError(Exception):
    """One input could not be processed: names the file, the stage and the reason."""

    def __init__(self, source_path: str, stage: str, reason: str) -> None:
        super().__init__(f"{source_path}: {stage}: {reason}")
        self.source_path = source_path
        self.stage = stage
        self.reason = reason

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str, str]]:
        # picklable with its fields: errors travel back from worker processes and Dask workers
        return (type(self), (self.source_path, self.stage, self.reason))


class WarehouseSchemaError(RuntimeError):
    """The warehouse file was written by another schema version."""
