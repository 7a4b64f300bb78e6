"""A real SMTP server on a free local port (aiosmtpd), and the mails that reached it."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What an SMTP server received; ``refuse`` makes it refuse mail to those addresses."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse or "*" in self.refuse:
            return "550 5.1.1 Mailbox unavailable (refused by the test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The mails that arrived for ``address``: (subject, plain-text body) each."""
        return [
            # Django folds a long subject from its first line ("Subject:\n =?utf-8?...");
            # mail programs show it without the fold's space.
            (str(message["Subject"]).strip(), message.get_body(("plain",)).get_content())
            for recipients, message in self.messages
            if address in recipients
        ]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A running SMTP server: (host, port, inbox)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.hostname, controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """Mail from this process goes to the local SMTP server, as in production to the relay."""
    host, port, received = smtp_server
    settings.EMAIL_BACKEND = "operations.mail.EmailBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "Partnerships <partnerships@example.ac.jp>"
    settings.SITE_URL = "https://partners.example.ac.jp"
    settings.RENEWAL_REMINDER_DAYS = (180, 90, 30)
    settings.RENEWAL_REMINDER_FALLBACK_EMAIL = "international-office@example.ac.jp"
    return received
