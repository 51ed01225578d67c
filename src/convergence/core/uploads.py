"""Uploaded files checked by their content, never by their name (PDF here; the other kinds where they are used)."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)


def pdf_problem(upload: UploadedFile) -> str | None:
    """A message if the file is not a readable PDF, else None."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        return _("“%(name)s” is not a PDF file. Only PDF attachments are accepted.") % {"name": upload.name}
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return _("“%(name)s” is password-protected: upload an unprotected PDF.") % {"name": upload.name}
        _page_count = len(reader.pages)
    except Exception as error:  # noqa: BLE001 (pypdf raises many kinds of errors on malformed input)
        logger.info("unreadable PDF upload: %s", error)
        return _("“%(name)s” is damaged or not a valid PDF file.") % {"name": upload.name}
    finally:
        upload.seek(0)
    return None


def size_problem(upload: UploadedFile, limit: int) -> str | None:
    """A message if the file is over `limit` bytes, else None."""
    size = upload.size or 0
    if size <= limit:
        return None
    return _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB.") % {
        "name": upload.name,
        "size": size / 1024 / 1024,
        "limit": limit // 1024 // 1024,
    }


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
