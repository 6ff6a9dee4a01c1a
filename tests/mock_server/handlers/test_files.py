"""upload_file, delete_file, upload_audio: multipart uploads with their documented limits."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call
from wolkvox_mock.handlers.files import MAX_AUDIO_BYTES, MAX_AUDIO_FILES


def _coll(app, name):
    return app.fake.operation(SERVER).collections.get(name, {})


@pytest.mark.parametrize("name", ["guia.pdf", "Guia.DOCX", "notas.txt", "logo.png"])
def test_upload_file_takes_the_documented_types(app, http, name):
    response = call(http, "upload_file", files={"file": (name, b"contenido", "application/octet-stream")})
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "Upload successfully",
        "data": [{"filename": name}],
    }
    stored = _coll(app, "copilot_files")[name]
    assert (stored["size"], stored["sha256"]) == (9, hashlib.sha256(b"contenido").hexdigest())


def test_upload_file_keeps_only_the_base_name_of_a_path(app, http):
    response = call(http, "upload_file", files={"file": ("C:\\docs\\manual.pdf", b"x", "application/pdf")})
    assert response.json()["data"] == [{"filename": "manual.pdf"}]


@pytest.mark.parametrize("name", ["audio.mp3", "hoja.xlsx", "sin_extension"])
def test_upload_file_refuses_other_types(app, http, name):
    response = call(http, "upload_file", files={"file": (name, b"x", "application/octet-stream")})
    assert (response.status_code, response.json()["msg"]) == (
        406,
        f"THE FILE {name} IS NOT ALLOWED, USE PDF, DOCX, TXT OR PNG",
    )
    assert _coll(app, "copilot_files") == {}


def test_upload_file_wants_the_part_named_file(http):
    response = call(http, "upload_file", files={"document": ("a.pdf", b"x", "application/pdf")})
    assert (response.status_code, response.json()["msg"]) == (400, "SOME PARAMETERS ARE REQUIRED")
    assert "'file'" in response.headers["x-wolkvox-mock-hint"]


def test_upload_file_refuses_a_json_body(http):
    response = call(http, "upload_file", {"file": "a.pdf"})
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["DELETE", "POST"])
def test_delete_file_answers_both_documented_methods(app, http, method):
    call(http, "upload_file", files={"file": ("manual.pdf", b"x", "application/pdf")})
    response = call(http, "delete_file", {"filename": "manual.pdf"}, method=method)
    assert response.json() == {"code": "201", "error": None, "msg": "File delete  successfully"}
    assert _coll(app, "copilot_files") == {}
    again = call(http, "delete_file", {"filename": "manual.pdf"}, method=method)
    assert (again.status_code, again.json()["msg"]) == (404, "THE FILE manual.pdf DOES NOT EXIST")


def test_upload_audio_takes_files_under_any_part_name(app, http):
    files = [("file1", ("hola.mp3", b"ID3a", "audio/mpeg")), ("otro", ("adios.wav", b"RIFF", "audio/wav"))]
    response = call(http, "upload_audio", files=files)
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "2 audio file(s) uploaded successfully",
        "data": [{"filename": "hola.mp3"}, {"filename": "adios.wav"}],
    }
    assert sorted(_coll(app, "audios")) == ["adios.wav", "hola.mp3"]


def test_upload_audio_takes_fifty_files_and_refuses_fifty_one(app, http):
    files = [(f"file{i}", (f"a{i}.mp3", b"x", "audio/mpeg")) for i in range(MAX_AUDIO_FILES + 1)]
    too_many = call(http, "upload_audio", files=files)
    assert (too_many.status_code, too_many.json()["msg"]) == (
        406,
        "A MAXIMUM OF 50 AUDIO FILES CAN BE UPLOADED PER REQUEST",
    )
    assert _coll(app, "audios") == {}
    fifty = call(http, "upload_audio", files=files[:MAX_AUDIO_FILES])
    assert fifty.json()["msg"] == "50 audio file(s) uploaded successfully"


def test_upload_audio_refuses_a_file_over_5_mb_and_keeps_none(app, http):
    # The 1 MiB general body limit is raised for upload_audio by its catalogue entry.
    assert app.fake.settings.max_body_bytes < MAX_AUDIO_BYTES
    files = [
        ("file1", ("ok.mp3", b"x" * MAX_AUDIO_BYTES, "audio/mpeg")),
        ("file2", ("big.mp3", b"x" * (MAX_AUDIO_BYTES + 1), "audio/mpeg")),
    ]
    response = call(http, "upload_audio", files=files)
    assert (response.status_code, response.json()) == (
        413,
        {"code": 413, "error": "PAYLOAD TOO LARGE", "msg": "THE AUDIO FILE big.mp3 EXCEEDS 5 MB"},
    )
    assert _coll(app, "audios") == {}
    assert call(http, "upload_audio", files=files[:1]).status_code == 201


def test_uploads_have_their_own_body_limit_and_other_calls_keep_1_mib(app, http):
    from wolkvox_mock.contracts import load_catalogue

    spec = load_catalogue().operation("configuration", "upload_audio")
    assert spec is not None and spec.max_body_bytes is not None
    assert spec.max_body_bytes >= 50 * MAX_AUDIO_BYTES
    two_mb = [("file1", ("two.mp3", b"x" * (2 * 1024 * 1024), "audio/mpeg"))]
    assert call(http, "upload_audio", files=two_mb).status_code == 201
    big = {"from": "a", "to": "b", "subject": "s", "body": "x" * (2 * 1024 * 1024), "rp_id": "1"}
    assert call(http, "add_interaction", big).status_code == 413
