"""Panels on the admin's home that other apps contribute, without this app knowing them.

An app registers a function of the request that returns the panel (a template name and its
context) or None when the user may not see it; the home page shows each in turn.
"""

from dataclasses import dataclass, field


@dataclass
class Panel:
    template_name: str
    context: dict = field(default_factory=dict)


_panels = []


def register_index_panel(panel_for_request):
    """Add a panel to the admin's home; usable as a decorator. Registering twice is a no-op."""
    if panel_for_request not in _panels:
        _panels.append(panel_for_request)
    return panel_for_request


def index_panels(request):
    """The panels this user sees, in the order they were registered."""
    return [panel for panel in (build(request) for build in _panels) if panel is not None]
