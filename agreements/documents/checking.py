"""What an uploaded document must be before it is kept: a readable PDF within the size limit.

Each refusal names the file and says what to do; nothing of a refused file is stored.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader

from imports.uploads import OversizedUpload

PDF_MAGIC = b"%PDF-"
# Readers (Acrobat among them) accept the header anywhere in the first kilobyte.
HEADER_WINDOW = 1024
# Path separators, control characters and the marks that reverse text on screen.
UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class CheckedPdf:
    original_name: str
    size: int
    sha256: str


def max_document_bytes():
    return settings.AGREEMENT_DOCUMENT_MAX_BYTES


def safe_original_name(name):
    """The uploader's name as data only: its last part, without control or direction marks,
    ending in .pdf, at most 200 characters ("" if nothing usable is left)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = UNSAFE_IN_NAMES.sub("", name).strip().strip(".")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.strip()[: MAX_NAME_LENGTH - 4].strip()
    return f"{stem}.pdf" if stem else ""


def checked_pdf(upload):
    """Read the upload once: refuse what is not a readable PDF within the limit, else give
    its size, SHA-256 and the name to keep."""
    name = safe_original_name(upload.name) or "document.pdf"
    shown = {"name": name}
    if isinstance(upload, OversizedUpload) or upload.size > max_document_bytes():
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s bytes; the limit is %(limit)s bytes "
                "(AGREEMENT_DOCUMENT_MAX_BYTES). Nothing of it was stored."
            ),
            code="too_large",
            params={**shown, "size": f"{upload.size:,}", "limit": f"{max_document_bytes():,}"},
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
        if len(head) < HEADER_WINDOW:
            head += chunk[: HEADER_WINDOW - len(head)]
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty (0 bytes). Choose the PDF file again."),
            code="empty",
            params=shown,
        )
    if PDF_MAGIC not in head:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF: its content is not a PDF document, whatever its "
                "name says. Save or scan the document as a PDF and upload that."
            ),
            code="not_pdf",
            params=shown,
        )
    _check_readable(upload, shown)
    return CheckedPdf(original_name=name, size=size, sha256=digest.hexdigest())


def _check_readable(upload, shown):
    unreadable = ValidationError(
        _(
            "“%(name)s” starts like a PDF but cannot be read: it is damaged or incomplete. "
            "Save or scan the document again and upload the new PDF."
        ),
        code="unreadable",
        params=shown,
    )
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        # A PDF that opens without a password (restrictions on printing or copying only) is
        # kept; one that needs a password to open could not be read by colleagues.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(
                _("“%(name)s” is protected by a password. Upload a copy that opens without one."),
                code="encrypted",
                params=shown,
            )
        page_count = len(reader.pages)
    except ValidationError:
        raise
    except Exception as error:  # pypdf fails on broken files in many ways
        raise unreadable from error
    finally:
        upload.seek(0)
    if page_count < 1:
        raise unreadable
