"""The moment another app acts on, sent by agreements' own code where it happens.

``successor_taking_effect`` (sender: Agreement; ``agreement``, ``user``) is sent by every save
staff make of an agreement (the admin's form and the institution's inline, the records
import) just before it writes one that replaces its running predecessor
(``Agreement.predecessor_it_replaces``), inside that save's transaction. The renewals app
receives it and ends the predecessor (renewals.services.successor_takes_over): the database
lets an institution have one agreement of a kind in effect, so without a receiver the save is
refused. ``Agreement.save()`` itself sends nothing: code that sets a successor in effect calls
the renewals' service.
"""

from django.dispatch import Signal

successor_taking_effect = Signal()


def announce_if_taking_over(agreement, *, user):
    """Send successor_taking_effect if saving ``agreement`` ends the one it renews."""
    if agreement.predecessor_it_replaces() is not None:
        successor_taking_effect.send(type(agreement), agreement=agreement, user=user)
