"""The renewal dashboard on the admin's home: what ends soon, what is overdue, what is being
negotiated, each a count linking to the agreements list filtered to exactly those rows, with
the counts by region. One query, whatever the number of regions or agreements."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presentation.names import local_name
from staff.panels import Panel, register_index_panel

from .models import NEGOTIATIONS_OPEN, RUNNING_STATUSES, Agreement, ending_within, overdue
from .terms import months_added

WINDOWS = (3, 6, 12)
REGION = "institution__country__region"


def _lists(today):
    """(address value of the list's state filter, label, condition), in the dashboard's order."""
    labels = {
        3: _("Ending within 3 months"),
        6: _("Ending within 6 months"),
        12: _("Ending within 12 months"),
    }
    return [
        *((f"ending-{months}", labels[months], ending_within(months, today)) for months in WINDOWS),
        ("overdue", _("Past its end date, still in effect"), overdue(today)),
        ("negotiating", _("Negotiations open"), NEGOTIATIONS_OPEN),
    ]


def renewal_counts(today):
    """Each list's total and its counts by region (None: partners with no country)."""
    lists = _lists(today)
    widest = Q(status__in=RUNNING_STATUSES, end_date__lte=months_added(today, max(WINDOWS)))
    rows = (
        Agreement.objects.filter(widest | NEGOTIATIONS_OPEN)
        .values(f"{REGION}_id", f"{REGION}__name", f"{REGION}__name_ja", f"{REGION}__display_order")
        .annotate(**{key: Count("pk", filter=condition) for key, _label, condition in lists})
        .order_by()
    )
    # Regions in their published order, partners with no country ("Others") last.
    rows = sorted(
        rows,
        key=lambda row: (
            row[f"{REGION}_id"] is None,
            row[f"{REGION}__display_order"] or 0,
            row[f"{REGION}__name"] or "",
        ),
    )
    changelist = reverse("admin:agreements_agreement_changelist")
    result = []
    for key, label, _condition in lists:
        address = f"{changelist}?state={key}"
        regions = [
            {
                "name": local_name(row[f"{REGION}__name"], row[f"{REGION}__name_ja"])
                if row[f"{REGION}_id"] is not None
                else _("Others"),
                "count": row[key],
                "url": f"{address}&{REGION}__id__exact={row[f'{REGION}_id']}"
                if row[f"{REGION}_id"] is not None
                else f"{address}&institution__country__isnull=True",
            }
            for row in rows
            if row[key]
        ]
        result.append(
            {
                "key": key,
                "label": label,
                "count": sum(region["count"] for region in regions),
                "url": address,
                "regions": regions,
            }
        )
    return result


@register_index_panel
def renewal_panel(request):
    """The dashboard, for those who may see the agreements."""
    user = request.user
    if not (
        user.has_perm("agreements.view_agreement") or user.has_perm("agreements.change_agreement")
    ):
        return None
    return Panel(
        "agreements/renewal_dashboard.html",
        {"lists": renewal_counts(timezone.localdate())},
    )
