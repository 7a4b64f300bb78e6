"""The renewal dashboard on the admin's home: what ends soon, what is overdue, what is being
negotiated, each a count linking to the agreements list filtered to exactly those rows, with
the counts by region. One query, whatever the number of regions or agreements."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from presentation.names import local_name
from staff.panels import Panel

from .lists import NEGOTIATIONS_OPEN, renewal_lists, widest_window

REGION = "institution__country__region"


def renewal_counts(today):
    """Each list's total and its counts by region (None: partners with no country)."""
    lists = renewal_lists(today)
    rows = (
        Agreement.objects.filter(widest_window(today) | NEGOTIATIONS_OPEN)
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


def renewal_panel(request):
    """The dashboard, for those who may see the agreements (on the admin's home: RenewalsConfig
    registers it)."""
    user = request.user
    if not (
        user.has_perm("agreements.view_agreement") or user.has_perm("agreements.change_agreement")
    ):
        return None
    return Panel(
        "renewals/dashboard.html",
        {"lists": renewal_counts(timezone.localdate())},
    )
