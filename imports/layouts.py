"""The base of every spreadsheet layout: its columns, declared once, and how it plans a sheet.

A layout names each column once, with the label users see, every spelling a header may use
(English, Japanese, the office's variants) and an example value; the header check, the
preview's headings and any template of the layout all read that one declaration.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .plans import ImportPlan
from .text import column_label, fold, in_every_language

# kind → label, for every layout defined; the import records' list shows kinds by label.
KINDS = {}


@dataclass(frozen=True)
class Column:
    """One column of a layout: its label (translated: the title in each language, every one
    of them accepted, whatever the page's language) and the other spellings it accepts."""

    key: str
    label: str
    spellings: tuple = ()
    example: str = ""
    required: bool = True
    folded: frozenset = field(init=False, repr=False, compare=False, default=None)

    @property
    def accepted(self):
        """Every folded spelling; worked out on first use, when the catalogs are loaded."""
        if self.folded is None:
            spellings = (*in_every_language(self.label), *self.spellings)
            object.__setattr__(self, "folded", frozenset(fold(text) for text in spellings))
        return self.folded

    def matches(self, text):
        return fold(text) in self.accepted


class Layout:
    """One way a spreadsheet can be laid out, and the planner that turns it into changes.

    Subclasses set `kind` (what an import record calls such an import), `name` and
    `description` (what the import page says of it), `model` (the records
    it is about), `writes` (every model it may create or change: the importer needs the
    rights to add and change each), `columns`, and implement `plan(sheet)`.
    """

    kind = ""
    kind_label = ""
    # What the import page calls the layout, and how it tells staff the sheet is laid out.
    name = ""
    description = ""
    model = None
    writes = ()
    columns = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            KINDS[cls.kind] = cls.kind_label

    def __init__(self, **options):
        self.options = options

    @classmethod
    def column(cls, key):
        return next(column for column in cls.columns if column.key == key)

    @classmethod
    def headers(cls):
        return [str(column.label) for column in cls.columns]

    @classmethod
    def template_rows(cls):
        """An empty sheet of the layout, ready to fill in: its header row."""
        return [cls.headers()]

    @classmethod
    def preview_headers(cls):
        """The preview's headings, one per cell of a planned row."""
        return cls.headers()

    @classmethod
    def written_models(cls):
        return tuple(cls.writes) or (cls.model,)

    def new_plan(self, **fields):
        return ImportPlan(
            kind=self.kind, model=self.model, headers=self.preview_headers(), **fields
        )

    def plan(self, sheet):
        raise NotImplementedError

    def find_columns(self, plan, header_row, line):
        """Column index of each declared column, refusing unknown and missing ones by name."""
        found = {}
        for index, cell in enumerate(header_row):
            text = str(cell if cell is not None else "").strip()
            if not text:
                continue
            column = next((column for column in self.columns if column.matches(text)), None)
            if column is None:
                known = ", ".join(f'"{label}"' for label in self.headers())
                plan.refuse(
                    line,
                    column_label(index, text),
                    _('"%(text)s" is not a known column; the columns are %(known)s.')
                    % {"text": text, "known": known},
                )
            elif column.key in found:
                plan.refuse(line, column_label(index, text), _("this column appears twice"))
            else:
                found[column.key] = index
        for column in self.columns:
            if column.required and column.key not in found:
                plan.refuse(
                    line,
                    "",
                    _('the required column "%(label)s" is missing.') % {"label": column.label},
                )
        return found
