"""Mail through SMTP with each conversation bounded in time as a whole, not read by read.

Django's SMTP backend gives its socket EMAIL_TIMEOUT, which bounds each read only: a server
that sends one byte every 20 seconds and never a whole line keeps it waiting for ever. Here
EMAIL_TIMEOUT is how long one connection may last, from connecting to the answer to QUIT. A
timer shuts the connection's socket down when the time is up, whatever waits on it (a reply,
the TLS handshake, a message the server does not read); the error then says so.

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
    """The time one connection may take; when it is up, the connection's socket is shut down."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._socket = None
        self._timer = None
        self._expired = False

    def remaining(self):
        return max(self._ends - time.monotonic(), 0.0)

    def passed(self):
        return self._expired or time.monotonic() >= self._ends

    def guard(self, sock):
        """Shut ``sock`` down when the time is up. The timer keeps a duplicate of it: shutting
        either down ends the connection, and the duplicate stays valid when STARTTLS moves the
        connection into a TLS socket."""
        with self._lock:
            self._release()
            self._socket = sock.dup()
            self._timer = threading.Timer(self.remaining(), self._expire)
            self._timer.daemon = True
            self._timer.start()

    def _expire(self):
        with self._lock:
            self._expired = True
            if self._socket is not None:
                # OSError: the server or smtplib closed it already.
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)

    def stop(self):
        with self._lock:
            self._release()

    def _release(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
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
        # Connecting takes no longer than the time left; the timer guards all that follows.
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
    """Django's SMTP backend; EMAIL_TIMEOUT (seconds) bounds each connection as a whole.

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
        if self._partial_connection is not None:
            self.close()  # with the time it had
        self._deadline = _Deadline(self.timeout)
        try:
            return super().open()
        except OSError as error:
            self._raise_explained(error)
        finally:
            if self.connection is None and self._partial_connection is None:
                self._stop_deadline()

    def close(self):
        try:
            super().close()
        finally:
            self._stop_deadline()

    def _send(self, email_message):
        try:
            return super()._send(email_message)
        except OSError as error:
            self._raise_explained(error)

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
