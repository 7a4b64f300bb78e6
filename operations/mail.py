"""Mail through SMTP with each step of a conversation bounded in time as a whole, not read by
read.

Django's SMTP backend gives its socket EMAIL_TIMEOUT, which bounds each read only: a server
that sends one byte every 20 seconds and never a whole line keeps it waiting for ever. Here
EMAIL_TIMEOUT is how long each step of a connection may last: the opening (connecting, the
greeting, and EHLO, STARTTLS and login when used), each message (EHLO if not yet sent, MAIL
FROM, RCPT TO, DATA, the message and the answer to it), and QUIT. A timer shuts the
connection's socket down when a step's time is up, whatever waits on it (a reply, the TLS
handshake, a message the server does not read); the error then says so. A connection that
sends N messages thus takes at most about (N + 2) x EMAIL_TIMEOUT against the slowest server,
and a busy one that answers each message in time gets them all, however many.

A message whose every byte went out and whose answer did not come (the time ran out, or the
server hung up) may have been accepted: that error is ``DeliveryUnconfirmed``, so the caller
can tell "refused" from "perhaps delivered".
"""

import contextlib
import functools
import smtplib
import socket
import threading
import time

from django.core.mail.backends import smtp
from django.utils.translation import gettext as _


class DeadlinePassed(smtplib.SMTPException):
    """The conversation with the mail server took longer than EMAIL_TIMEOUT and was cut."""


class DeliveryUnconfirmed(smtplib.SMTPException):
    """The whole message went out but the server's answer to it did not come: the server may
    have accepted it, and sending it again may deliver it twice."""


class _Deadline:
    """EMAIL_TIMEOUT for each step of one connection in turn; when a step's time is up, the
    connection's socket is shut down. Between steps (the caller's own work, such as waiting
    on the database) no time runs."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._ends = None  # None: no step is running
        self._step = 0  # which step a timer belongs to, so a late one does nothing
        self._socket = None
        self._timer = None
        self._expired = False

    @contextlib.contextmanager
    def step(self):
        """A step has ``seconds`` from now, however it is spent."""
        with self._lock:
            self._cancel()
            self._ends = time.monotonic() + self.seconds
            self._arm()
        try:
            yield
        finally:
            with self._lock:
                self._cancel()
                self._ends = None

    def remaining(self):
        if self._ends is None:
            return self.seconds
        return max(self._ends - time.monotonic(), 0.0)

    def passed(self):
        """Whether the connection was cut, or the running step's time is up."""
        return self._expired or (self._ends is not None and time.monotonic() >= self._ends)

    def guard(self, sock):
        """Shut ``sock`` down when a step's time is up. The timer keeps a duplicate of it:
        shutting either down ends the connection, and the duplicate stays valid when STARTTLS
        moves the connection into a TLS socket."""
        with self._lock:
            self._cancel()
            if self._socket is not None:
                self._socket.close()
            self._socket = sock.dup()
            self._arm()

    def _arm(self):
        # A connection once cut stays cut: the steps after it fail at once, and say why.
        if self._socket is None or self._ends is None or self._expired:
            return
        self._timer = threading.Timer(self.remaining(), self._expire, args=(self._step,))
        self._timer.daemon = True
        self._timer.start()

    def _expire(self, step):
        with self._lock:
            if step != self._step:
                return  # that step ended in time; the timer fired as it was cancelled
            self._expired = True
            if self._socket is not None:
                # OSError: the server or smtplib closed it already.
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)

    def _cancel(self):
        self._step += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def stop(self):
        with self._lock:
            self._cancel()
            self._ends = None
            if self._socket is not None:
                self._socket.close()
                self._socket = None


class _DeadlineMixin:
    """smtplib.SMTP under a ``_Deadline``; ``message_ended`` while the last bytes sent were
    the end of a message (its final ".") and its answer has not been read."""

    def __init__(self, *args, deadline, **kwargs):
        self._deadline = deadline
        self.message_ended = False
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        # Connecting takes no longer than the opening's time left; the timer guards the rest.
        timeout = min(timeout, self._deadline.remaining())
        if timeout <= 0:
            raise TimeoutError("timed out")
        sock = super()._get_socket(host, port, timeout)
        self._deadline.guard(sock)
        return sock

    def sendmail(self, *args, **kwargs):
        self.message_ended = False
        return super().sendmail(*args, **kwargs)

    def send(self, s):
        self.message_ended = False
        super().send(s)
        # smtplib's data() sends the whole message, ending with CRLF "." CRLF, in one call.
        self.message_ended = isinstance(s, bytes) and s.endswith(b"\r\n.\r\n")


class _SMTP(_DeadlineMixin, smtplib.SMTP):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend; EMAIL_TIMEOUT (seconds) bounds each step of a connection (the
    opening, each message, QUIT) as a whole.

    EMAIL_USE_SSL (TLS from the first byte) is not supported: use EMAIL_USE_TLS (STARTTLS).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.use_ssl:
            raise ValueError("EMAIL_USE_SSL is not supported here; use EMAIL_USE_TLS.")
        if not self.timeout or self.timeout <= 0:
            raise ValueError("EMAIL_TIMEOUT must be a number of seconds above 0.")
        self._deadline = None

    @property
    def connection_class(self):
        return functools.partial(_SMTP, deadline=self._deadline)

    def open(self):
        if self.connection:
            return False
        self._deadline = _Deadline(self.timeout)
        try:
            with self._step():
                try:
                    return super().open()
                except OSError as error:
                    self._raise_explained(error)
        finally:
            if self.connection is None:
                self._abandon_opening()

    def close(self):
        try:
            with self._step():  # QUIT
                super().close()
        finally:
            self._stop_deadline()

    def _send(self, email_message):
        with self._step():  # MAIL FROM, RCPT TO, DATA, the message and its answer
            try:
                return super()._send(email_message)
            except OSError as error:
                self._raise_explained(error)

    def _step(self):
        if self._deadline is None:
            return contextlib.nullcontext()
        return self._deadline.step()

    def _abandon_opening(self):
        """The opening failed (or failed silently): close what it made at once, the half-open
        connection without a QUIT and the deadline's duplicate of its socket, rather than keep
        them (the server waiting on us) until the next open() or close()."""
        if self._partial_connection is not None:
            self._partial_connection.close()  # no network: closes the sockets
            self._partial_connection = None
        self._stop_deadline()

    def _stop_deadline(self):
        if self._deadline is not None:
            self._deadline.stop()
            self._deadline = None

    def _raise_explained(self, error):
        """Raise ``error``, or what it means when the time was up or a whole message went
        out unanswered."""
        connection = self.connection or self._partial_connection
        unconfirmed = getattr(connection, "message_ended", False) and not isinstance(
            error, smtplib.SMTPResponseException
        )
        if self._deadline is not None and self._deadline.passed():
            reason = _("the mail server did not finish within %(seconds)s seconds") % {
                "seconds": f"{self._deadline.seconds:g}"
            }
        elif unconfirmed:
            reason = str(error) or type(error).__name__
        else:
            raise error
        raise (DeliveryUnconfirmed if unconfirmed else DeadlinePassed)(reason) from error
