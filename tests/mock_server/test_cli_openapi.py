"""wolkvox-mock openapi: the document on stdout or in a file, as JSON or YAML."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate

from wolkvox_mock.cli import main
from wolkvox_mock.contracts.openapi import openapi_document


def test_prints_the_whole_document_as_json() -> None:
    result = CliRunner().invoke(main, ["openapi"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    validate(document)
    assert document == openapi_document()


def test_families_and_yaml(tmp_path: Path) -> None:
    out = tmp_path / "wolkvox.yaml"
    result = CliRunner().invoke(
        main, ["openapi", "--families", "information", "--format", "yaml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "&id" not in text  # no YAML anchors: shared examples are written out
    document = yaml.safe_load(text)
    assert list(document["paths"]) == ["/api/v2/information.php"]
    both = CliRunner().invoke(main, ["openapi", "--families", "information,configuration"])
    assert len(json.loads(both.output)["paths"]) == 2


def test_an_unknown_family_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["openapi", "--families", "reports"])
    assert result.exit_code == 2
    assert "no such endpoint family: reports" in result.output
