"""send_renewal_reminders against hostile mail servers that the test runs itself on
127.0.0.1: one that answers a byte at a time and never a whole line (the step it is in is cut
at EMAIL_TIMEOUT as a whole, where a limit on each read would wait for ever), one that takes a
mail and confirms it only after the command gave up (not recorded, so the next run sends it
again, under the same Message-ID), and a busy one that confirms each of many mails in time
(all sent in one run: the limit is per step, not per run)."""

import contextlib
import datetime
import email
import email.policy
import io
import itertools
import re
import select
import smtplib
import socket
import threading
import time

import pytest
from django.core.mail import get_connection
from django.core.management import CommandError, call_command
from django.utils import timezone

from renewals.models import ReminderOutcome, RenewalReminder
from tests.commands import manage
from tests.factories import make_agreement
from tests.renewals.cron import cron_environment, make_scenario, migrated_database

DEADLINE = 2  # seconds: EMAIL_TIMEOUT here (30 in production)
TRICKLE = 0.5  # seconds between the trickling server's bytes: each read gets one in time
CONFIRM_AFTER = 3 * DEADLINE  # when the slow server would answer 250 to a whole mail
SLOW_CONFIRM = 0.2  # when the busy server answers 250 to each mail: ten of them fill DEADLINE
# How much later than the deadline a cut conversation may end (threads on a busy machine);
# far below the 30 s a trickling server holds Django's own backend.
LATE = 3


class HostilePeer:
    """An SMTP server on a free port of 127.0.0.1, a thread per client speaking
    ``conversation``. What it learns: the mails it took (``messages``), how long each client
    stayed before hanging up (``conversations``, seconds) and how many bytes it trickled.
    Every conversation ends by itself after LONGEST seconds; ``stop()`` ends them sooner."""

    LONGEST = 30

    def __init__(self, conversation):
        self._conversation = conversation
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.stopping = threading.Event()
        self.messages = []
        self.conversations = []
        self.trickled = 0
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection):
        began = time.monotonic()
        connection.settimeout(self.LONGEST)
        with connection, contextlib.suppress(OSError):  # OSError: the client hung up
            self._conversation(self, connection, began + self.LONGEST)
        self.conversations.append(time.monotonic() - began)

    def ended(self, count=1):
        """The lengths of the first ``count`` conversations, once they have ended."""
        limit = time.monotonic() + self.LONGEST + 5
        while len(self.conversations) < count and time.monotonic() < limit:
            time.sleep(0.05)
        return self.conversations

    def stop(self):
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()


def _hung_up(connection, wait):
    """Whether the client hung up within ``wait`` seconds (it says nothing meanwhile)."""
    readable, _writable, _errors = select.select([connection], [], [], wait)
    return bool(readable) and not connection.recv(1024)


def trickle(peer, connection, until):
    """A greeting one byte every TRICKLE seconds, never reaching the end of its line."""
    for byte in itertools.cycle(b"220 smtp.example.test is very slow today "):
        if peer.stopping.is_set() or time.monotonic() > until or _hung_up(connection, TRICKLE):
            return
        connection.sendall(bytes([byte]))
        peer.trickled += 1


def confirm_late(peer, connection, until):
    """A plain SMTP server, except that it answers a whole mail's final "." CONFIRM_AFTER
    seconds later, when the client is still there."""
    _confirm_after(CONFIRM_AFTER, peer, connection, until)


def confirm_slowly(peer, connection, until):
    """A plain SMTP server, except that it answers a whole mail's final "." SLOW_CONFIRM
    seconds later, as a busy relay does: each mail in time, many of them not."""
    _confirm_after(SLOW_CONFIRM, peer, connection, until)


def _confirm_after(delay, peer, connection, until):
    reader = connection.makefile("rb")

    def reply(line):
        connection.sendall(line.encode() + b"\r\n")

    reply("220 smtp.example.test ESMTP")
    while (line := reader.readline()) and time.monotonic() < until:
        verb = line[:4].upper()
        if verb in {b"EHLO", b"HELO"}:
            reply("250 smtp.example.test")
        elif verb in {b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
            reply("250 OK")
        elif verb == b"DATA":
            reply("354 End data with <CR><LF>.<CR><LF>")
            lines = []
            while (line := reader.readline()) not in {b".\r\n", b""}:
                lines.append(line)
            peer.messages.append(
                email.message_from_bytes(b"".join(lines), policy=email.policy.default)
            )
            if _hung_up(connection, delay):
                return
            reply("250 Message accepted for delivery")
        elif verb == b"QUIT":
            reply("221 Bye")
            return
        else:
            reply("502 Command not implemented")


def without_starttls(peer, connection, until):
    """A server that greets and answers EHLO, offering no STARTTLS, then waits for the client
    to hang up."""
    connection.sendall(b"220 smtp.example.test ESMTP\r\n")
    reader = connection.makefile("rb")
    while (line := reader.readline()) and time.monotonic() < until:
        if line[:4].upper() in {b"EHLO", b"HELO"}:
            connection.sendall(b"250 smtp.example.test\r\n")
        else:
            connection.sendall(b"502 Command not implemented\r\n")


@pytest.fixture
def hostile(settings):
    """Start a HostilePeer speaking the given conversation; mail from this process goes to it
    and each step of a connection (opening, each mail, QUIT) may last DEADLINE seconds."""
    peers = []

    def start(conversation):
        peer = HostilePeer(conversation)
        peers.append(peer)
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", peer.port
        settings.EMAIL_TIMEOUT = DEADLINE
        return peer

    yield start
    for peer in peers:
        peer.stop()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "tanaka", email="tanaka@example.ac.jp", is_staff=True
    )


def _in(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def _run():
    out, err = io.StringIO(), io.StringIO()
    call_command("send_renewal_reminders", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _failed_run():
    """A run that stops at the mail server: (what it printed, on stderr, seconds taken)."""
    out, err = io.StringIO(), io.StringIO()
    began = time.monotonic()
    with pytest.raises(CommandError, match="tried again on the next run"):
        call_command("send_renewal_reminders", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), time.monotonic() - began


def _message_id(message):
    # A long header is folded onto a line of its own ("Message-ID:\n <...>").
    return str(message["Message-ID"]).strip()


def _message_id_pattern(agreement, window):
    return re.compile(
        rf"<renewal-reminder\.{agreement.pk}\.{window}d\.{agreement.end_date:%Y%m%d}\."
        r"[0-9a-f]{16}@partners\.example\.ac\.jp>"
    )


@pytest.mark.django_db
def test_a_server_answering_a_byte_at_a_time_is_cut_off_at_the_deadline(inbox, hostile, staff):
    make_agreement(end_date=_in(20), responsible_staff=staff)
    peer = hostile(trickle)
    out, err, took = _failed_run()
    assert out == ""
    assert "could not be sent: the mail server did not finish within 2 seconds" in err
    [conversation] = peer.ended()
    # Every read got a byte in time, so a limit on each read would have waited for ever; the
    # conversation as a whole was cut at the deadline, and the run ended with it.
    assert peer.trickled >= 2
    assert DEADLINE / 2 < conversation < DEADLINE + LATE
    assert took < DEADLINE + LATE
    assert not RenewalReminder.objects.exists()
    assert inbox.messages == []


@pytest.mark.django_db
def test_a_mail_confirmed_after_the_deadline_is_sent_again_with_the_same_message_id(
    inbox, smtp_server, hostile, staff, settings
):
    agreement = make_agreement(end_date=_in(20), responsible_staff=staff)
    peer = hostile(confirm_late)
    out, err, took = _failed_run()
    assert out == ""
    assert (
        "The mail server did not confirm that it took the reminder of MOU with" in err
        and "to tanaka@example.ac.jp (the mail server did not finish within 2 seconds): it "
        "may arrive. The next run sends it again with the same Message-ID."
        in err
    )
    [conversation] = peer.ended()
    assert conversation < DEADLINE + LATE  # not CONFIRM_AFTER: the command did not wait
    assert took < DEADLINE + LATE
    # The server has the mail; the command cannot know, and records nothing.
    [taken] = peer.messages
    assert _message_id_pattern(agreement, 30).fullmatch(_message_id(taken))
    assert not RenewalReminder.objects.exists()

    # The next run, through a server that confirms: the same mail, under the same Message-ID,
    # so a mail program that drops duplicates shows one.
    settings.EMAIL_PORT = smtp_server[1]
    out, err = _run()
    assert err == ""
    assert "Sent: the 30-day reminder of MOU with" in out
    [(recipients, sent)] = inbox.messages
    assert recipients == ["tanaka@example.ac.jp"]
    assert _message_id(sent) == _message_id(taken)
    assert sent["Subject"] == taken["Subject"]
    assert dict(RenewalReminder.objects.values_list("window_days", "outcome")) == {
        30: ReminderOutcome.SENT,
        90: ReminderOutcome.SKIPPED,
        180: ReminderOutcome.SKIPPED,
    }
    # Confirmed this time: recorded, and the run after sends nothing.
    assert _run() == ("", "")
    assert len(inbox.messages) == 1


@pytest.mark.django_db
def test_a_busy_server_taking_each_mail_in_time_gets_them_all_in_one_run(inbox, hostile, staff):
    # Agreements often end on the same day (31 March): their reminders go out in the same run.
    # The server answers each mail in SLOW_CONFIRM seconds, well within the deadline, but all
    # of them take several times DEADLINE: each step of the conversation has DEADLINE seconds,
    # not the conversation as a whole.
    count = 20
    agreements = [make_agreement(end_date=_in(20), responsible_staff=staff) for _ in range(count)]
    peer = hostile(confirm_slowly)
    began = time.monotonic()
    out, err = _run()
    took = time.monotonic() - began
    assert err == ""
    assert out.count("Sent: the 30-day reminder of MOU with") == count
    assert took > count * SLOW_CONFIRM > DEADLINE
    assert len(peer.messages) == count
    assert set(
        RenewalReminder.objects.filter(outcome=ReminderOutcome.SENT).values_list(
            "agreement", "window_days"
        )
    ) == {(agreement.pk, 30) for agreement in agreements}
    [_conversation] = peer.ended()  # one connection for the run, ended by QUIT
    assert _run() == ("", "")  # all recorded: nothing left for the next run


def test_a_failed_opening_hangs_up_at_once(hostile, settings):
    settings.EMAIL_BACKEND = "operations.mail.EmailBackend"
    peer = hostile(without_starttls)
    connection = get_connection(fail_silently=False, use_tls=True)
    with pytest.raises(smtplib.SMTPNotSupportedError):
        connection.open()
    # The half-open connection (and the deadline's duplicate of its socket) is not kept until
    # the next open() or close(), nor until a deadline's timer would cut it.
    limit = time.monotonic() + DEADLINE / 2
    while not peer.conversations and time.monotonic() < limit:
        time.sleep(0.02)
    [conversation] = peer.conversations
    assert conversation < DEADLINE / 2
    connection.close()  # nothing left to close


@pytest.mark.django_db
def test_each_reminder_has_a_message_id_of_its_own(inbox, staff):
    first = make_agreement(end_date=_in(20), responsible_staff=staff)
    second = make_agreement(end_date=_in(80), responsible_staff=None)  # the fallback address
    _run()
    ids = {recipients[0]: _message_id(message) for recipients, message in inbox.messages}
    assert _message_id_pattern(first, 30).fullmatch(ids["tanaka@example.ac.jp"])
    assert _message_id_pattern(second, 90).fullmatch(ids["international-office@example.ac.jp"])


@pytest.fixture
def database(tmp_path):
    with migrated_database("hostile_smtp", tmp_path) as url:
        yield url


def test_cron_runs_against_both_hostile_servers_end_in_time_and_send_once_confirmed(
    database, smtp_server
):
    host, port, inbox = smtp_server
    environment = cron_environment(database, host, DJANGO_EMAIL_TIMEOUT=str(DEADLINE))
    make_scenario(environment, user="tanaka", kind="mou", days=20)

    trickling, confirming_late = HostilePeer(trickle), HostilePeer(confirm_late)
    try:
        began = time.monotonic()
        cut = manage("send_renewal_reminders", DJANGO_EMAIL_PORT=str(trickling.port), **environment)
        took = time.monotonic() - began
        unconfirmed = manage(
            "send_renewal_reminders", DJANGO_EMAIL_PORT=str(confirming_late.port), **environment
        )
        [trickled_for] = trickling.ended()
        [confirmation_awaited_for] = confirming_late.ended()
    finally:
        trickling.stop()
        confirming_late.stop()
    assert (cut.returncode, cut.stdout) == (1, "")
    assert "送れませんでした: メールサーバーとのやり取りが2秒以内に終わりませんでした" in cut.stderr
    assert trickled_for < DEADLINE + LATE
    assert took < HostilePeer.LONGEST  # the process too ended long before the server gave up
    assert (unconfirmed.returncode, unconfirmed.stdout) == (1, "")
    assert "メールサーバーが受け取りを確認しませんでした" in unconfirmed.stderr
    assert "同じMessage-IDで再び送ります" in unconfirmed.stderr
    assert confirmation_awaited_for < DEADLINE + LATE
    [taken] = confirming_late.messages

    sent = manage("send_renewal_reminders", DJANGO_EMAIL_PORT=str(port), **environment)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith("送信: ボルドー大学とのMOU")
    [(_recipients, message)] = inbox.messages
    assert _message_id(message) == _message_id(taken)
    again = manage("send_renewal_reminders", DJANGO_EMAIL_PORT=str(port), **environment)
    assert (again.returncode, again.stdout) == (0, "")
    assert len(inbox.messages) == 1
