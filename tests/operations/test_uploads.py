"""Nothing a request uploads outlives it, and only signed-in staff's files are kept at all.

Under the production server itself (gunicorn with config/gunicorn.conf.py, two workers, the
default upload limits), with multipart POSTs whose file part is past the upload limit:
anonymous ones, to addresses that take no files, make the workers write nothing but their
answers and leave no file open or on disk; a staff member's documents, the first past the
limit, get the form's message and leave no temporary file once answered, and what was kept of
the large one is gone as soon as it passed the limit. The workers' temporary folder (TMPDIR)
and their open files (/proc/<pid>/fd) are read right after each answer.
"""

import http.client
import re
import socket
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from staff.roles import EDITORS
from tests.commands import PRODUCTION, gunicorn, manage, scratch_database
from tests.staff.admin_forms import PASSWORD, staff_user

MB = 1024 * 1024
# AGREEMENT_DOCUMENT_MAX_BYTES's default: the largest limit a file part can meet.
DOCUMENT_LIMIT = 20 * MB
PAST_THE_LIMIT = b"%PDF-1.7\n" + b"x" * (21 * MB - 9)
HOST = PRODUCTION["DJANGO_ALLOWED_HOSTS"]
BOUNDARY = "----upload-probe-7d3f0c"
# A CSRF token as a browser would hold one (cookie and form field alike): a POST that carries
# it passes the CSRF check and reaches the view.
CSRF_TOKEN = "k7Q2mZ9xW4pL8vN3bR6tY1cH5jD0sF2a"
STAFF = "chief"


def multipart(fields=(), files=()):
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    parts += [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        "\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
        for name, filename, content in files
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Server:
    """A running gunicorn: requests as a browser sends them, and what its workers left."""

    def __init__(self, address, workers, temporary):
        self.address = urllib.parse.urlsplit(address)
        self.workers = workers
        self.temporary = temporary

    def request(self, method, path, body=b"", content_type=None, cookies=None):
        connection = http.client.HTTPConnection(
            self.address.hostname, self.address.port, timeout=120
        )
        headers = {"Host": HOST, "Accept-Language": "en"}
        if content_type:
            headers["Content-Type"] = content_type
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode(errors="replace")
            set_cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                set_cookies.load(header)
            return response.status, page, {name: m.value for name, m in set_cookies.items()}
        finally:
            connection.close()

    def post_multipart(self, path, body, cookies=None):
        return self.request(
            "POST", path, body, f"multipart/form-data; boundary={BOUNDARY}", cookies
        )

    def log_in(self, username, password):
        """The admin's login form, as a person fills it in; the signed-in cookies."""
        _status, _page, cookies = self.request("GET", "/admin/login/")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": cookies["csrftoken"],
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        status, _page, new_cookies = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            form.encode(),
            "application/x-www-form-urlencoded",
            cookies,
        )
        assert status == 302, "the staff member could not log in"
        return {**cookies, **new_cookies}

    def post_multipart_in_two_parts(self, path, body, cookies, sent_first, meanwhile):
        """POST ``body``, its first ``sent_first`` bytes, then ``meanwhile()``, then the rest;
        the answer's status and page."""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: en\r\n"
            f"Cookie: {'; '.join(f'{name}={value}' for name, value in cookies.items())}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with socket.create_connection((self.address.hostname, self.address.port), 120) as peer:
            peer.sendall(head.encode() + body[:sent_first])
            meanwhile()
            peer.sendall(body[sent_first:])
            response = http.client.HTTPResponse(peer)
            response.begin()
            return response.status, response.read().decode(errors="replace")

    def written(self):
        """Bytes the workers have written so far (files, sockets, pipes): /proc/<pid>/io."""
        return sum(
            int(re.search(r"^wchar: (\d+)$", Path(f"/proc/{pid}/io").read_text(), re.M)[1])
            for pid in self.workers
        )

    def left_behind(self):
        """Files in the workers' temporary folder, and the workers' open files in it."""
        on_disk = [f"on disk: {path.name}" for path in self.temporary.iterdir()]
        open_files = []
        for pid in self.workers:
            for descriptor in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = str(descriptor.readlink())
                except FileNotFoundError:  # closed meanwhile
                    continue
                if target.startswith(str(self.temporary)):
                    open_files.append(f"open in worker {pid}: {target}")
        return on_disk + open_files


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a new database holding one superuser; its workers' TMPDIR is a folder of
    the test's own (gunicorn's heartbeat files go to another)."""
    folder = tmp_path_factory.mktemp("uploads")
    temporary = folder / "tmp"
    heartbeat = folder / "heartbeat"
    temporary.mkdir()
    heartbeat.mkdir()
    with scratch_database("uploads", folder) as database:
        environment = {
            **PRODUCTION,
            "DATABASE_URL": database,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            # Debug off: the admin's pages need the collected static files.
            "DJANGO_STATIC_ROOT": str(folder / "static"),
        }
        for command, extra in [
            (["migrate"], {}),
            (["collectstatic", "--noinput"], {}),
            (
                ["createsuperuser", "--noinput", "--username", STAFF, "--email", "c@example.jp"],
                {"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            ),
        ]:
            result = manage(*command, "--verbosity=0", **environment, **extra)
            assert result.returncode == 0, result.stderr
        with gunicorn(
            "--worker-tmp-dir",
            str(heartbeat),
            env={**environment, "TMPDIR": str(temporary)},
            workers=2,
        ) as (address, workers):
            yield Server(address, workers, temporary)


# Addresses that take no files, and the admin's, which takes them from staff only; each POST
# once with a CSRF token (it then reaches the view) and once without.
ANONYMOUS_POSTS = [
    (path, part, with_token)
    for path, part in [
        ("/", "documents-0-file"),
        ("/ja/", "import_file"),
        ("/agreements/", "documents-0-file"),
        ("/admin/login/", "documents-0-file"),
        ("/admin/agreements/agreement/add/", "documents-0-file"),
    ]
    for with_token in (True, False)
]


def test_anonymous_posts_past_the_upload_limit_leave_nothing_and_write_nothing(server):
    assert server.left_behind() == []
    written_before = server.written()

    answers = []
    for path, part, with_token in ANONYMOUS_POSTS:
        fields = [("csrfmiddlewaretoken", CSRF_TOKEN)] if with_token else []
        body = multipart(fields, [(part, "big.pdf", PAST_THE_LIMIT)])
        cookies = {"csrftoken": CSRF_TOKEN} if with_token else None
        status, _page, _cookies = server.post_multipart(path, body, cookies)
        answers.append((path, with_token, status))

    assert [answer for answer in answers if answer[2] >= 500] == []
    # The worker's answer is sent once its request is done with: nothing of it may remain.
    assert server.left_behind() == []
    # Ten times 21 MB arrived; the workers wrote only their answers and their log lines.
    assert server.written() - written_before < 1 * MB


def staff_add_form(server, documents):
    """A signed-in staff member's cookies, and the agreement add form's fields (the inlines'
    management forms as the page serves them) for ``documents`` new documents."""
    cookies = server.log_in(STAFF, PASSWORD)
    status, page, _cookies = server.request(
        "GET", "/admin/agreements/agreement/add/", b"", None, cookies
    )
    assert status == 200
    fields = dict(re.findall(r'name="([\w-]+_FORMS)" value="(\d+)"', page))
    fields["documents-TOTAL_FORMS"] = str(documents)
    fields["csrfmiddlewaretoken"] = cookies["csrftoken"]
    for index in range(documents):
        fields[f"documents-{index}-kind"] = "signed"
    return cookies, fields


def test_a_staff_members_documents_past_the_limit_get_the_message_and_leave_nothing(server):
    cookies, fields = staff_add_form(server, documents=3)
    smaller = b"%PDF-1.7\n" + b"y" * (3 * MB)  # past Django's 2.5 MB in memory: a temporary file
    body = multipart(
        fields.items(),
        [
            ("documents-0-file", "large.pdf", PAST_THE_LIMIT),
            ("documents-1-file", "second.pdf", smaller),
            ("documents-2-file", "third.pdf", smaller),
        ],
    )
    written_before = server.written()

    status, page, _cookies = server.post_multipart(
        "/admin/agreements/agreement/add/", body, cookies
    )

    assert status == 200
    assert "“large.pdf” is 22,020,096 bytes; the limit is 20,971,520 bytes" in page
    assert server.left_behind() == []
    # Staff's files did go to temporary files (the first up to the limit): the folder read
    # above is where they were written.
    assert server.written() - written_before > DOCUMENT_LIMIT


def test_what_was_kept_of_an_upload_is_deleted_as_soon_as_it_passes_the_limit(server):
    """A 30 MB document, sent slowly: once the worker has written its first 20 MB to a
    temporary file and read on past the limit, that file is gone, before the rest of the
    request has even been sent."""
    cookies, fields = staff_add_form(server, documents=1)
    content = b"%PDF-1.7\n" + b"z" * (30 * MB)
    body = multipart(fields.items(), [("documents-0-file", "scan.pdf", content)])
    written_before = server.written()
    seen_meanwhile = []

    def once_past_the_limit():
        deadline = time.monotonic() + 60
        while server.written() - written_before < DOCUMENT_LIMIT - MB:
            assert time.monotonic() < deadline, "the worker never wrote the upload"
            time.sleep(0.05)
        # Reading on past the limit takes the worker a moment more.
        deadline = time.monotonic() + 10
        while (left := server.left_behind()) and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_meanwhile.extend(left)

    status, page = server.post_multipart_in_two_parts(
        "/admin/agreements/agreement/add/",
        body,
        cookies,
        sent_first=body.index(content) + 24 * MB,
        meanwhile=once_past_the_limit,
    )

    assert seen_meanwhile == []
    assert status == 200
    assert f"“scan.pdf” is {len(content):,} bytes; the limit is 20,971,520 bytes" in page
    assert server.left_behind() == []


@pytest.mark.django_db
def test_an_anonymous_form_is_read_without_its_file_being_kept_anywhere(
    client, django_user_model, settings, tmp_path
):
    """The login form sent as multipart with a 3 MB file beside it: signing in works, and the
    file is written nowhere (the temporary uploads' folder does not even exist: writing a
    file there would fail the request)."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")
    staff_user(django_user_model, "aiko", group=EDITORS)

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "aiko",
            "password": PASSWORD,
            "next": "/admin/",
            "attachment": SimpleUploadedFile("big.pdf", b"x" * (3 * MB)),
        },
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
