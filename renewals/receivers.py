"""What the renewals app does when agreements' own code tells it a successor takes effect."""

from .services import successor_takes_over


def predecessor_hands_over(sender, *, agreement, user, **kwargs):
    """Receives agreements.signals.successor_taking_effect (connected in RenewalsConfig)."""
    successor_takes_over(agreement=agreement, user=user)
