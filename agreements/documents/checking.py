"""What an uploaded document must be before it is kept: a readable PDF within the size limit,
that is a PDF from its first byte and holds nothing that runs.

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
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from operations.uploads import OversizedUpload

PDF_MAGIC = b"%PDF-"
# Readers (Acrobat among them) accept the header anywhere in the first kilobyte; what comes
# before it is refused unless it is only blank space (see _check_header).
HEADER_WINDOW = 1024
BLANK = b" \t\r\n\f"

# What a PDF can hold that runs, or starts something, when it is opened or clicked; the words
# the refusal names it with.
JAVASCRIPT = _("JavaScript")
LAUNCH = _("an action that starts a program or opens a file (Launch)")
RICH_MEDIA = _("embedded multimedia that can run scripts (RichMedia)")
XFA = _("an XFA form, which can run scripts")
GO_TO_EMBEDDED = _("an action that opens a document attached to this one (GoToE)")
GO_TO_REMOTE = _("an action that opens another file, which can be on a network share (GoToR)")
SUBMIT_FORM = _("an action that sends the form's content to an address (SubmitForm)")
IMPORT_DATA = _("an action that reads form data from another file (ImportData)")
MOVIE = _("a movie that plays (Movie)")
SOUND = _("a sound that plays (Sound)")
MEDIA = _("an action that plays media (Rendition)")
VIEW_3D = _("an action that drives a 3D scene (GoTo3DView)")
# Links (/URI actions) may lead to a web page or an e-mail address, nothing else: a "file:" or
# schemeless address (\\host\share\x.pdf) has Windows send the user's password hash to that
# host when the reader follows it, and "javascript:" runs.
LINK_SCHEMES = {"http", "https", "mailto"}
LINK_TO_SCHEME = _("a link to a “%(scheme)s:” address, not to a web page or an e-mail address")
LINK_WITHOUT_SCHEME = _(
    "a link to an address with no scheme (http, https or mailto), which can be a file or a "
    "network share"
)
# Actions (an action dictionary's /S), whether the document runs them on opening (/OpenAction),
# on an event (/AA) or on a click (a link's /A), or a name tree lists them (/Names).
ACTIVE_ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/RichMediaExecute": RICH_MEDIA,
    "/GoToE": GO_TO_EMBEDDED,
    "/GoToR": GO_TO_REMOTE,
    "/SubmitForm": SUBMIT_FORM,
    "/ImportData": IMPORT_DATA,
    "/Movie": MOVIE,
    "/Sound": SOUND,
    "/Rendition": MEDIA,
    "/GoTo3DView": VIEW_3D,
}
# Annotations (/Subtype) that run or play something.
ACTIVE_ANNOTATIONS = {"/RichMedia": RICH_MEDIA, "/Movie": MOVIE, "/Sound": SOUND}
# Keys that hold scripts: an action's code, the document's named scripts, a 3D scene's.
SCRIPT_KEYS = {"/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT, "/OnInstantiate": JAVASCRIPT}
# Files inside the PDF: a signed agreement carries none, and what they hold (a PDF with scripts,
# a program) is not checked. The document's list of them (/EmbeddedFiles), a file
# specification's embedded file (/EF, also PDF/A-3's associated files), the file's own stream
# (/Type /EmbeddedFile, which is optional) and an annotation that shows one on the page.
ATTACHED_FILE = _("an attached file")
ATTACHMENT_ANNOTATION = _("a file attached to a page (FileAttachment)")
ATTACHMENT_KEYS = ("/EmbeddedFiles", "/EF")
# The two kinds found, each refused with its own message.
RUNS, ATTACHED = "runs", "attached"
# Objects read to look for them, at most: a scanned page is about four, a 5,000-page PDF of
# blank pages 5,000. A 20 MB file can be made of half a million, which would hold a worker
# for most of a minute; past this many it is refused, within 6 s on a shared 2-core machine.
MAX_OBJECTS = 50_000
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
    _check_header(head, shown)
    _check_readable(upload, shown)
    return CheckedPdf(original_name=name, size=size, sha256=digest.hexdigest())


def _check_header(head, shown):
    """A PDF's header, and nothing before it but blank space: content before the header (a
    web page's, for a file made to open both as a page and as a PDF) is no part of a PDF."""
    if PDF_MAGIC not in head:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF: its content is not a PDF document, whatever its "
                "name says. Save or scan the document as a PDF and upload that."
            ),
            code="not_pdf",
            params=shown,
        )
    before = head[: head.index(PDF_MAGIC)]
    if before.strip(BLANK):
        raise ValidationError(
            _(
                "“%(name)s” does not begin as a PDF does: %(count)s bytes of other content "
                "(such as a web page's) come before its PDF header, so it could open as "
                "something else. Save or scan the document as a PDF again and upload that."
            ),
            code="content_before_header",
            params={**shown, "count": f"{len(before):,}"},
        )


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
        active = _active_content(reader, shown)
    except ValidationError:
        raise
    except Exception as error:  # pypdf fails on broken files in many ways
        raise unreadable from error
    finally:
        upload.seek(0)
    if page_count < 1:
        raise unreadable
    runs, attached = active
    if runs:
        raise ValidationError(
            _(
                "“%(name)s” holds content that runs when the document is opened or clicked: "
                "%(found)s. A signed agreement needs none, so the file is refused. Ask the "
                "partner for a copy without it; a PDF that is not digitally signed can also be "
                "printed to a new PDF (or the paper scanned) and uploaded."
            ),
            code="active_content",
            params={**shown, "found": _listed(runs + attached)},
        )
    if attached:
        raise ValidationError(
            _(
                "“%(name)s” carries files inside it: %(found)s. A signed agreement has no "
                "business carrying attachments, and what they hold is not checked, so the file "
                "is refused. Ask the partner for a copy without attachments."
            ),
            code="attachments",
            params={**shown, "found": _listed(attached)},
        )


def _listed(labels):
    return ", ".join(str(label) for label in labels)


def _active_content(reader, shown):
    """What the PDF holds that runs (JAVASCRIPT, LAUNCH, ...) and the files it carries
    (ATTACHED_FILE, ...), each in the order found: every object reachable from its trailer is
    read once, as a reader would (names spelled with #-escapes, objects inside compressed
    object streams), not its bytes."""
    found = {RUNS: [], ATTACHED: []}
    seen = set()
    pending = [reader.trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_OBJECTS:
                raise ValidationError(
                    _(
                        "“%(name)s” is made of more than %(count)s objects, far more than a "
                        "signed document ever is, so it could not be checked for content that "
                        "runs. Ask the partner for a simpler copy; a PDF that is not digitally "
                        "signed can also be printed to a new PDF (or the paper scanned) and "
                        "uploaded."
                    ),
                    code="too_many_objects",
                    params={**shown, "count": f"{MAX_OBJECTS:,}"},
                )
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams' dictionaries too
            for kind, label in _active_in(item):
                if label not in found[kind]:
                    found[kind].append(label)
            pending.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return found[RUNS], found[ATTACHED]


def _active_in(dictionary):
    """(RUNS or ATTACHED, label) for what this one dictionary holds."""
    for key, label in SCRIPT_KEYS.items():
        if key in dictionary:
            yield RUNS, label
    action = _name(dictionary, "/S")
    if action in ACTIVE_ACTIONS:
        yield RUNS, ACTIVE_ACTIONS[action]
    if action == "/URI":
        label = _link_label(_resolved(dict.get(dictionary, "/URI")))
        if label is not None:
            yield RUNS, label
    subtype = _name(dictionary, "/Subtype")
    if subtype in ACTIVE_ANNOTATIONS:
        yield RUNS, ACTIVE_ANNOTATIONS[subtype]
    if "/XFA" in dictionary:
        yield RUNS, XFA
    if subtype == "/FileAttachment":
        yield ATTACHED, ATTACHMENT_ANNOTATION
    if any(key in dictionary for key in ATTACHMENT_KEYS) or (
        _name(dictionary, "/Type") == "/EmbeddedFile"
    ):
        yield ATTACHED, ATTACHED_FILE


# A URI's scheme, after what browsers drop: leading blanks and control characters, and tabs
# and newlines anywhere ("java\tscript:" is "javascript:").
_DROPPED_IN_LINKS = re.compile(r"[\t\n\r]")
_LEADING_IN_LINKS = "".join(map(chr, range(33)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _link_label(uri):
    """None for a link to a web page or an e-mail address; else the label that names it."""
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    if not isinstance(uri, str):
        return LINK_WITHOUT_SCHEME
    uri = _DROPPED_IN_LINKS.sub("", uri).lstrip(_LEADING_IN_LINKS)
    scheme = _SCHEME.match(uri)
    if scheme is None:
        return LINK_WITHOUT_SCHEME
    if scheme[1].lower() in LINK_SCHEMES:
        return None
    return LINK_TO_SCHEME % {"scheme": scheme[1].lower()[:20]}


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _name(dictionary, key):
    """The name under ``key`` (through an indirect reference), or None."""
    value = dict.get(dictionary, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, str) else None
