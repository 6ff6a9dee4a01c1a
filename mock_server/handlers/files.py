"""configuration.php file operations: upload_file and delete_file (documents for wvx Copilot,
formerly Mr. Wizard) and upload_audio (audios for IVRs and skills).

Uploads are multipart; the pipeline has parsed the parts into ``ctx.files``. The fake keeps each
file's name, size, type and SHA-256 (not its bytes) in ``Operation.collections``
(``copilot_files``, ``audios``). Every upload is all or nothing: one bad file refuses the call.
"""

from __future__ import annotations

import hashlib
import io
import wave
from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, UploadedFile, handler
from wolkvox_mock.handlers.fields import collection, missing, text

__all__ = [
    "COPILOT_EXTENSIONS",
    "MAX_AUDIO_BYTES",
    "MAX_AUDIO_FILES",
    "delete_file",
    "upload_audio",
    "upload_file",
]

#: File types wvx Copilot takes (documented: PDF, DOCX, TXT, PNG).
COPILOT_EXTENSIONS = (".pdf", ".docx", ".txt", ".png")
#: Audio files per upload_audio call (documented).
MAX_AUDIO_FILES = 50
#: Size of one audio (documented as 5 MB; we read MB as MiB).
MAX_AUDIO_MB = 5
MAX_AUDIO_BYTES = MAX_AUDIO_MB * 1024 * 1024


def _name(upload: UploadedFile) -> str:
    """The file's base name (some clients send a path); 400 when there is none."""
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise missing(f"the file in part '{upload.field}' has no file name")
    return name


def _record(ctx: HandlerContext, upload: UploadedFile, name: str, when: str) -> dict[str, Any]:
    return {
        "filename": name,
        "size": len(upload.content),
        "content_type": upload.content_type,
        "sha256": hashlib.sha256(upload.content).hexdigest(),
        when: ctx.now.isoformat(),
    }


def wav_seconds(content: bytes) -> int | None:
    """The whole seconds a WAV file lasts (for information.php?api=audio_list); None for any
    other format, which the fake does not decode."""
    try:
        with wave.open(io.BytesIO(content), "rb") as audio:
            rate = audio.getframerate()
            return round(audio.getnframes() / rate) if rate else None
    except (wave.Error, EOFError, ValueError):
        return None


@handler("configuration", "upload_file")
def upload_file(ctx: HandlerContext) -> Success:
    """Store the document(s) sent in the ``file`` part; a same-named file is replaced."""
    uploads = [f for f in ctx.files if f.field == "file"]
    if not uploads:
        others = ", ".join(sorted({f.field for f in ctx.files}))
        raise missing(f"send the document in a part named 'file'{f' (got: {others})' if others else ''}")
    names = [_name(f) for f in uploads]
    for name in names:
        if not name.lower().endswith(COPILOT_EXTENSIONS):
            raise WolkvoxAPIError.from_catalogue("file_type_not_allowed", filename=name)
    files: dict[str, dict[str, Any]] = collection(ctx.op, "copilot_files", {})
    for upload, name in zip(uploads, names, strict=True):
        files[name] = _record(ctx, upload, name, "uploaded")
    return Success(data=[{"filename": name} for name in names])


@handler("configuration", "delete_file")
def delete_file(ctx: HandlerContext) -> Success:
    """Delete a wvx Copilot document by name; 404 when there is none (ours)."""
    name = text(ctx, "filename")
    files: dict[str, Any] = ctx.op.collections.get("copilot_files", {})
    if name not in files:
        raise WolkvoxAPIError.from_catalogue("file_not_found", filename=name)
    del files[name]
    return Success()


@handler("configuration", "upload_audio")
def upload_audio(ctx: HandlerContext) -> Success:
    """Store 1 to 50 audios (any part name), each 5 MB at most; a same-named audio is replaced."""
    if not ctx.files:
        raise missing("send one or more audio files as multipart/form-data parts")
    if len(ctx.files) > MAX_AUDIO_FILES:
        raise WolkvoxAPIError.from_catalogue("too_many_audio_files", limit=MAX_AUDIO_FILES)
    names = [_name(f) for f in ctx.files]
    for upload, name in zip(ctx.files, names, strict=True):
        if len(upload.content) > MAX_AUDIO_BYTES:
            raise WolkvoxAPIError.from_catalogue("audio_too_large", filename=name, limit=MAX_AUDIO_MB)
    audios: dict[str, dict[str, Any]] = collection(ctx.op, "audios", {})
    for upload, name in zip(ctx.files, names, strict=True):
        audios[name] = _record(ctx, upload, name, "created")
        seconds = wav_seconds(upload.content)
        if seconds is not None:
            audios[name]["duration"] = seconds
    return Success(values={"count": len(names)}, data=[{"filename": name} for name in names])
