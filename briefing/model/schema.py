"""JSON Schema of the content model, for editors' autocompletion and for machines."""

from __future__ import annotations

import json
from pathlib import Path

from . import Brief
from .vocab import TLP_LABELS

SCHEMA_ID = "https://briefing.invalid/brief.schema.json"
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "brief.schema.json"


def brief_schema() -> dict:
    """The JSON Schema (draft 2020-12) that a brief's merged YAML satisfies."""
    schema = Brief.model_json_schema(mode="validation")
    # The model also takes a marking's short form: a bare TLP label or level.
    marking = schema["properties"]["marking"]
    schema["properties"]["marking"] = {
        "description": marking.pop("description", ""),
        "anyOf": [{"enum": list(TLP_LABELS)}, {"type": "string"}, marking],
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(brief_schema(), ensure_ascii=False, indent=2) + "\n"
