"""The OpenAPI document: valid OpenAPI 3.1, and every catalogued operation and error in it."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from wolkvox_mock.contracts.catalogue import Catalogue, SuccessSpec, load_catalogue
from wolkvox_mock.contracts.openapi import matching_apis, openapi_document, render_document, success_example
from wolkvox_mock.contracts.schemas import applicable_errors
from wolkvox_mock.pipeline.endpoint import UNCOUNTED_ERRORS

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def _operation(document: dict[str, Any], family: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][f"/api/v2/{family}.php"][method.lower()]
    return operation


def _examples(response: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, Any] = response["content"]["application/json"]["examples"]
    return examples


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)  # raises on any error
    assert document["openapi"] == "3.1.0"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_rendered_text_reads_back_as_the_same_valid_document(document: dict[str, Any], fmt: str) -> None:
    text = render_document(document, fmt)  # type: ignore[arg-type]
    loaded = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert loaded == document
    validate(loaded)


def test_one_path_per_family(document: dict[str, Any]) -> None:
    assert set(document["paths"]) == {f"/api/v2/{family}.php" for family in CATALOGUE.families}


@pytest.mark.parametrize("key", sorted(CATALOGUE.operations), ids=lambda k: f"{k[0]}.{k[1]}")
def test_every_catalogued_operation_is_in_the_document(
    document: dict[str, Any], key: tuple[str, str]
) -> None:
    spec = CATALOGUE.operations[key]
    for method in spec.methods:
        operation = _operation(document, spec.family, method)
        api = next(p for p in operation["parameters"] if p["name"] == "api")
        assert spec.api in api["schema"]["enum"]
        binding = operation["x-wolkvox-operations"][spec.api]
        assert (binding["code-type"], binding["counts-quota"], binding["tag"]) == (
            spec.success.code_type,
            spec.counts_quota,
            spec.tag,
        )
        assert binding["sources"] == list(spec.sources)
        # Its success, with the catalogue's example, under its status.
        success = operation["responses"][str(spec.success.status)]
        assert _examples(success)[spec.api]["value"] == success_example(spec)
        if spec.success.example:
            assert success_example(spec) == spec.success.example
        # Every refusal it may answer, under its status, with its example.
        for error in applicable_errors(spec):
            assert error.key in _examples(operation["responses"][str(error.status)])
            assert error.key in binding["errors"]
        if spec.body != "none":
            media = "multipart/form-data" if spec.body == "multipart" else "application/json"
            refs = operation["requestBody"]["content"][media]["schema"]["anyOf"]
            assert {"$ref": f"#/components/schemas/{spec.family}.{spec.api}.body"} in refs


@pytest.mark.parametrize("key", sorted(CATALOGUE.errors))
def test_every_catalogued_error_is_a_component(document: dict[str, Any], key: str) -> None:
    error = CATALOGUE.errors[key]
    schema = document["components"]["schemas"][f"error.{key}"]
    assert schema["properties"]["code"]["const"] == error.status
    assert schema["properties"]["error"]["const"] == error.error
    assert (schema["x-wolkvox-key"], schema["x-wolkvox-tag"], schema["x-wolkvox-source"]) == (
        key,
        error.tag,
        error.source,
    )
    assert schema["examples"][0]["code"] == error.status


def test_errors_that_never_count_against_the_quota_are_the_pipelines(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    uncounted = {key for key in CATALOGUE.errors if not schemas[f"error.{key}"]["x-wolkvox-counts-quota"]}
    assert uncounted == set(UNCOUNTED_ERRORS)


def test_the_token_is_the_security_scheme(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["wolkvoxToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "wolkvox-token")
    assert document["security"] == [{"wolkvoxToken": []}]


def test_every_answer_is_an_envelope_but_those_documented_without_one(document: dict[str, Any]) -> None:
    envelope = {"$ref": "#/components/schemas/Envelope"}
    bare = {
        f"#/components/schemas/{spec.family}.{spec.api}.success"
        for spec in load_catalogue().operations.values()
        if spec.envelope != "standard"
    }
    seen_bare = set()
    for path in document["paths"].values():
        for method in ("get", "post", "put", "delete"):
            for response in path.get(method, {}).get("responses", {}).values():
                schema = response["content"]["application/json"]["schema"]
                for answer in schema.get("anyOf", [schema]):
                    if "allOf" in answer:
                        assert answer["allOf"][0] == envelope
                    else:
                        assert answer["$ref"] in bare
                        seen_bare.add(answer["$ref"])
    assert seen_bare == {ref for ref in bare if ref.split("/")[-1].split(".")[0] in _families(document)}


def _families(document: dict[str, Any]) -> set[str]:
    return {path.rsplit("/", 1)[-1].removesuffix(".php") for path in document["paths"]}


def test_a_405_declares_the_allow_header(document: dict[str, Any]) -> None:
    for path in document["paths"].values():
        for method in ("get", "post", "put", "delete"):
            if method in path:
                assert path[method]["responses"]["405"]["headers"]["Allow"]["required"] is True


def test_families_choose_the_paths_and_an_unknown_one_is_refused() -> None:
    only = openapi_document(["information"])
    assert list(only["paths"]) == ["/api/v2/information.php"]
    # Every catalogued error stays a component, whatever the families.
    assert {f"error.{k}" for k in CATALOGUE.errors} <= set(only["components"]["schemas"])
    with pytest.raises(ValueError, match="no such endpoint family: nope"):
        openapi_document(["nope"])


def test_a_new_catalogue_operation_appears_without_code_changes() -> None:
    # The generator reads the catalogue only: an operation another family adds shows up.
    template = CATALOGUE.operations[("information", "token_info")]
    extra = dataclasses.replace(
        template,
        family="reports",
        api="new_report",
        counts_quota=False,
        success=SuccessSpec(status=200, code_type="int", msg="{count} records were found"),
    )
    catalogue = Catalogue(
        operations={**CATALOGUE.operations, ("reports", "new_report"): extra},
        errors=CATALOGUE.errors,
        families=CATALOGUE.families | {"reports"},
    )
    document = openapi_document(catalogue=catalogue)
    validate(document)
    binding = _operation(document, "reports", "GET")["x-wolkvox-operations"]["new_report"]
    assert (binding["code-type"], binding["counts-quota"]) == ("int", False)


def test_matching_apis_pairs_a_body_with_the_operations_that_accept_it(document: dict[str, Any]) -> None:
    path = "/api/v2/configuration.php"
    ip = matching_apis(document, path, "DELETE", {}, {"ip": "192.0.2.10"})
    assert ip == ["remove_ip"]
    # edit_skill needs its skill_id in the query; without it only operations without one fit.
    skill = {"skill_name": "Sales"}
    assert "edit_skill" in matching_apis(document, path, "PUT", {"skill_id": "1"}, skill)
    assert "edit_skill" not in matching_apis(document, path, "PUT", {}, skill)
    # edit_licenses needs one of its two fields.
    assert "edit_licenses" not in matching_apis(document, path, "PUT", {}, {})
    assert "edit_licenses" in matching_apis(document, path, "PUT", {}, {"pbx": "3"})


def test_include_leaves_out_operations_and_families_it_refuses() -> None:
    document = openapi_document(include=lambda spec: spec.api != "token_info")
    api = next(p for p in _operation(document, "information", "GET")["parameters"] if p["name"] == "api")
    assert "token_info" not in api["schema"]["enum"] and "routing_points" in api["schema"]["enum"]
    no_information = openapi_document(include=lambda spec: spec.family != "information")
    assert "/api/v2/information.php" not in no_information["paths"]
    validate(no_information)
