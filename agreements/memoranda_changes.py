"""What the memoranda list's entries change: new partners, new and changed agreements, and the
agreements in effect that the list no longer names."""

from django.utils.translation import gettext as _
from import_export.results import RowResult

from imports.plans import ABSENT, PlannedRow
from imports.text import fold

from .models import Agreement, AgreementKind, Institution

KINDS = [("mou", AgreementKind.MOU), ("sea", AgreementKind.SEA)]


def refuse_repeats(plan, entries):
    seen = {}
    for line, country, institution, _years, _ja in entries:
        identity = institution.pk or (country.pk if country else None, fold(institution.name))
        if identity in seen:
            plan.refuse(
                line,
                "",
                _("%(name)s appears twice (also row %(other)s).")
                % {"name": institution.name, "other": seen[identity]},
            )
        seen[identity] = line


def agreements_in_effect():
    """The agreements the list is compared with, by institution and kind."""
    return {
        (agreement.institution_id, agreement.kind): agreement
        for agreement in Agreement.objects.in_effect().select_related("institution").order_by("pk")
    }


def plan_entry(plan, entry, *, existing, similar, slugs):
    """Plan one institution's row, taking its agreements out of `existing`: what is left there
    is what the list no longer names."""
    line, country, institution, years, _ja = entry
    where = country.name if country else _("no country")
    cells = [country.name if country else "", institution.name]
    note = ""
    if institution.pk is None:
        names = similar[(country.pk if country else None, fold(institution.name))]
        note = _plan_institution(plan, line, institution, where, "; ".join(names), slugs)
    types = _plan_agreements(plan, institution, where, years, existing, cells)
    if institution.pk is None:
        types.add(RowResult.IMPORT_TYPE_NEW)
    import_type = next(
        (t for t in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE) if t in types),
        RowResult.IMPORT_TYPE_SKIP,
    )
    plan.rows.append(PlannedRow(line=line, import_type=import_type, cells=cells, note=note))


def _plan_institution(plan, line, institution, where, similar, slugs):
    """Plan a new partner; its note for the preview names known institutions very like it."""
    slug_field = Institution._meta.get_field("slug")
    institution.slug = slug_field.unique_value(institution, slugs)
    slugs.add(institution.slug)
    plan.create(institution)
    plan.basis[
        _("Institution %(name)s in %(where)s") % {"name": institution.name, "where": where}
    ] = ABSENT
    plan.changes.append(
        _("New institution: %(name)s (%(where)s)") % {"name": institution.name, "where": where}
    )
    if not similar:
        return _("new institution")
    plan.notes.append(
        _("Row %(line)s: %(name)s is new; similar to %(names)s in %(where)s.")
        % {"line": line, "name": institution.name, "names": similar, "where": where}
    )
    return _("new institution; similar to %(names)s") % {"names": similar}


def _plan_agreements(plan, institution, where, years, existing, cells):
    """Plan the institution's MOU and SEA, adding their cells; return the kinds of change."""
    types = set()
    for key, kind in KINDS:
        year = years[key]
        current = existing.pop((institution.pk, kind), None) if institution.pk else None
        label = f"{institution.name} ({where}): {key.upper()}"
        plan.basis[label] = str(current.concluded_year) if current else ABSENT
        if year is None:
            cells.append("-")
            if current is not None:
                plan.missing.append(f"{institution.name}: {key.upper()} {current.concluded_year}")
        elif current is None:
            plan.create(Agreement(institution=institution, kind=kind, concluded_year=year))
            plan.changes.append(f"{institution.name}: new {key.upper()} {year}")
            types.add(RowResult.IMPORT_TYPE_NEW)
            cells.append(year)
        elif current.concluded_year != year:
            old = current.concluded_year
            current.concluded_year = year
            plan.update(current, ["concluded_year"], [old])
            plan.changes.append(f"{institution.name}: {key.upper()} {old} → {year}")
            types.add(RowResult.IMPORT_TYPE_UPDATE)
            cells.append(f"{old} → {year}")
        else:
            cells.append(year)
    return types


def note_missing(plan, existing):
    for (_institution_id, kind), agreement in existing.items():
        plan.missing.append(
            f"{agreement.institution.name}: {kind.upper()} {agreement.concluded_year}"
        )
