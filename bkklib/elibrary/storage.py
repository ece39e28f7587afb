"""Where e-book files live: under MEDIA_ROOT/elibrary/, named by SHA-256, never served by the web server.

Readers get a file only through a signed link of an active loan (``views.public.download``);
``bkklib/urls.py`` answers 404 for /media/elibrary/ and docs/admin/elibrary.md tells nginx the same.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

PREFIX = "elibrary"
CHUNK = 1024 * 1024


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / PREFIX


def absolute(relative: str) -> Path:
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("path outside the e-library store")
    return path


def spool(source) -> tuple[Path, str, int]:
    """Copy ``source`` (a path or a file object) into a temporary file of the store; return it, its SHA-256 and size."""
    tmp_dir = root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, name = tempfile.mkstemp(dir=tmp_dir)
    with os.fdopen(handle, "wb") as out:
        reader = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
        try:
            if hasattr(reader, "seek"):
                reader.seek(0)
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        finally:
            if reader is not source:
                reader.close()
    return Path(name), digest.hexdigest(), size


def keep(temp: Path, sha256: str, extension: str) -> tuple[str, bool]:
    """Move a spooled file to its place by hash; return its path relative to MEDIA_ROOT and whether it is new."""
    relative = f"{PREFIX}/files/{sha256[:2]}/{sha256}{extension}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        temp.unlink(missing_ok=True)
        return relative, False
    os.replace(temp, target)
    return relative, True


def keep_bytes(data: bytes, name: str) -> str:
    relative = f"{PREFIX}/covers/{name}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative


def remove(relative: str) -> None:
    if relative:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)


def copy_to(relative: str, destination) -> None:
    with open(absolute(relative), "rb") as handle:
        shutil.copyfileobj(handle, destination)
