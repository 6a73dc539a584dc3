"""Attachment storage and checks: size and type limits, files kept under ./var/ by default."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePath

import anyio
from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.models import Attachment
from kefu.core.context import Runtime
from kefu.core.errors import Invalid, TooLarge

# extension -> the content type we serve it with (never what the uploader claimed)
ALLOWED_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
}
CHUNK = 64 * 1024


def storage_root(rt: Runtime) -> Path:
    return rt.settings.var_dir / "attachments"


def safe_filename(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')[:200] or "file"


async def _write_limited(upload: UploadFile, path: Path, limit: int) -> int:
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    async with await anyio.open_file(path, "wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                await out.aclose()
                await anyio.Path(path).unlink(missing_ok=True)
                raise TooLarge("file_too_large", limit=limit)
            await out.write(chunk)
    return size


async def store_upload(
    session: AsyncSession,
    rt: Runtime,
    tenant_id: uuid.UUID,
    uploader: tuple[str, uuid.UUID],
    upload: UploadFile,
) -> Attachment:
    filename = safe_filename(upload.filename or "file")
    ext = PurePath(filename).suffix.lower()
    if ext not in ALLOWED_TYPES:
        raise Invalid("file_type_not_allowed", ext=ext or "?")
    attachment_id = uuid.uuid4()
    key = f"{tenant_id}/{attachment_id}"
    size = await _write_limited(upload, storage_root(rt) / key, rt.settings.max_upload_bytes)
    attachment = Attachment(
        id=attachment_id,
        tenant_id=tenant_id,
        uploader_type=uploader[0],
        uploader_id=uploader[1],
        filename=filename,
        content_type=ALLOWED_TYPES[ext],
        size=size,
        storage_key=key,
    )
    session.add(attachment)
    await session.flush()
    return attachment


def file_path(rt: Runtime, attachment: Attachment) -> Path:
    return storage_root(rt) / attachment.storage_key
