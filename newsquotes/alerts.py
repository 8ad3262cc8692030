"""``newsquotes alerts``: a Prefect automation, from ``newsquotes/resources/alerts.yaml``, that calls a webhook when
a run of the ingest flow ends Failed, Crashed or Warned.

Rules: the webhook URL is saved as the Webhook block ``ALERT_BLOCK`` (overwritten when it exists; the request is
a POST with a JSON body, the file's payload template); every ``call-webhook`` action of the file is pointed at
that block; an automation of the same name on the server is replaced, so running the command again updates it.
A file that cannot be read or is not a valid automation is an ``AlertConfigError`` naming the file and reason.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from uuid import UUID

import yaml
from pydantic import ValidationError

ALERT_BLOCK = "newsquotes-alerts"


class AlertConfigError(ValueError):
    """The alert configuration or webhook URL is unusable (the message names the file or URL and why)."""


def default_alert_config() -> Path:
    """The automation file shipped with newsquotes."""
    return Path(str(resources.files("newsquotes").joinpath("resources/alerts.yaml")))


def load_alert_config(path: Path) -> dict[str, Any]:
    """The automation definition in ``path`` (YAML), checked against Prefect's automation schema."""
    from prefect.events.schemas.automations import AutomationCore

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertConfigError(f"cannot read the alert configuration {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise AlertConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise AlertConfigError(f"{path}: expected an automation (a mapping with name, trigger and actions)")
    if not any(a.get("type") == "call-webhook" for a in data.get("actions") or [] if isinstance(a, dict)):
        raise AlertConfigError(f"{path}: no action of type call-webhook")
    try:  # with a placeholder block id: the real one is known once the block is saved
        AutomationCore.model_validate(_with_block(data, UUID(int=0)))
    except ValidationError as exc:
        raise AlertConfigError(f"{path}: not a valid Prefect automation: {exc}") from None
    return data


def _with_block(data: dict[str, Any], block_id: UUID) -> dict[str, Any]:
    actions = [
        {**a, "block_document_id": str(block_id)} if a.get("type") == "call-webhook" else a for a in data["actions"]
    ]
    return {**data, "actions": actions}


def check_webhook_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise AlertConfigError(f"webhook URL {url!r}: expected http:// or https:// and a host")
    return url


def install_alerts(webhook_url: str, config: Path | None = None) -> UUID:
    """Save the webhook block and create (or replace) the alert automation on the current Prefect server;
    returns the automation's id."""
    from prefect.blocks.webhook import Webhook
    from prefect.client.orchestration import get_client
    from prefect.events.schemas.automations import AutomationCore

    path = config or default_alert_config()
    data = load_alert_config(path)
    check_webhook_url(webhook_url)
    block = Webhook(method="POST", url=webhook_url, headers={"Content-Type": "application/json"})
    block_id = block.save(ALERT_BLOCK, overwrite=True)
    automation = AutomationCore.model_validate(_with_block(data, block_id))
    with get_client(sync_client=True) as client:
        for existing in client.read_automations_by_name(automation.name):
            client.delete_automation(existing.id)
        return client.create_automation(automation)
