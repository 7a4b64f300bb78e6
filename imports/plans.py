"""What a file would do, worked out whole before anything is written, and why it may not."""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from import_export.results import RowResult

# Problems past this many are counted, not kept: a hostile file must not fill memory.
MAX_PROBLEMS = 1000
ABSENT = "absent"


@dataclass
class Problem:
    """One reason to refuse a file, placed where the clerk will look for it."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        where = _("Row %(row)s") % {"row": self.row} if self.row else _("File")
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The file, or the confirm, was refused; nothing was written."""

    def __init__(self, problems, more=0):
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems
        self.more = more


class PlannedRow(RowResult):
    """One row of the preview: what happens to it, its cells (old → new where changed), and
    a note for staff; a django-import-export row result, so its preview can show it."""

    def __init__(self, line, import_type, cells, note=""):
        super().__init__()
        self.line = line
        self.import_type = import_type
        self.cells = self.diff = cells
        self.note = note


@dataclass
class Writes:
    """The rows one model gets: new objects, and changed ones with their values before."""

    model: type
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    before: list = field(default_factory=list)


@dataclass
class ImportPlan:
    """Everything a file would do, worked out before anything is written.

    `basis` names every record the plan was worked out against with the state it saw
    ("2022 inbound China" → "160", or "absent"): confirm applies the plan only if a fresh one
    sees the same, and otherwise says which records changed.
    """

    kind: str
    model: type
    headers: list
    scope: str = ""
    problems: list = field(default_factory=list)
    problem_count: int = 0
    rows: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    subtotals: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    basis: dict = field(default_factory=dict)
    writes: dict = field(default_factory=dict)

    def refuse(self, row, column, message):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))

    @property
    def refused(self):
        return bool(self.problem_count)

    def writes_for(self, model):
        if model not in self.writes:
            self.writes[model] = Writes(model)
        return self.writes[model]

    def create(self, obj):
        self.writes_for(type(obj)).create.append(obj)

    def update(self, obj, fields, before):
        """Plan a change of `fields` on `obj`; `before` holds their values as planned against."""
        writes = self.writes_for(type(obj))
        writes.fields = list(fields)
        writes.update.append(obj)
        writes.before.append(tuple(before))

    @property
    def to_create(self):
        return self.writes_for(self.model).create

    @property
    def to_update(self):
        return self.writes_for(self.model).update

    def count(self, import_type):
        return sum(1 for row in self.rows if row.import_type == import_type)

    @property
    def unchanged_count(self):
        return self.count(RowResult.IMPORT_TYPE_SKIP)

    def summary_counts(self):
        return {
            "new": len(self.to_create),
            "changed": len(self.to_update),
            "unchanged": self.unchanged_count,
            "missing": len(self.missing),
        }

    def summary_text(self):
        counts = self.summary_counts()
        if not counts["new"] and not counts["changed"]:
            text = _("No change: all %(n)s rows are already in the database.") % {
                "n": counts["unchanged"]
            }
        else:
            text = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % counts
        for model, writes in self.writes.items():
            if model is not self.model and writes.create:
                text += " " + _("Among them %(n)s new %(what)s.") % {
                    "n": len(writes.create),
                    "what": model._meta.verbose_name_plural,
                }
        if counts["missing"]:
            text += (
                " "
                + _("%(missing)s records in the database are not in the file; they are kept.")
                % counts
            )
        return text

    def fingerprint(self):
        """Identifies what the plan would write and what it saw: equal plans, equal prints.

        The same file planned against the same records lists both in the same order.
        """
        digest = hashlib.sha256()
        for label, state in self.basis.items():
            digest.update(f"{label}\t{state}\n".encode())
        digest.update(b"\x00")
        for change in self.changes:
            digest.update(f"{change}\n".encode())
        return digest.hexdigest()

    def changed_since(self, previewed_basis, limit=20):
        """Lines saying how the records differ from what the preview was worked out against."""
        lines = []
        for label, then in previewed_basis.items():
            now = self.basis.get(label)
            if now is None:
                lines.append(_("%(what)s is no longer part of the plan") % {"what": label})
            elif now != then:
                lines.append(
                    _("%(what)s: %(then)s when previewed, %(now)s now")
                    % {"what": label, "then": then, "now": now}
                )
        lines += [
            _("%(what)s (%(now)s) is now part of the plan") % {"what": label, "now": now}
            for label, now in self.basis.items()
            if label not in previewed_basis
        ]
        if len(lines) > limit:
            lines = [*lines[:limit], _("… and %(n)s more.") % {"n": len(lines) - limit}]
        return lines
