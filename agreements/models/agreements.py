"""The agreements that bind us to a partner: memoranda (MOU) and student exchange agreements
(SEA), their terms and their lifecycle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imports.permissions import SPREADSHEET_PERMISSIONS

from .institutions import EARLIEST_YEAR, LATEST_YEAR, Institution


class AgreementKind(models.TextChoices):
    MOU = "mou", _("MOU (general memorandum)")
    SEA = "sea", _("SEA (student exchange agreement)")

    @property
    def short_label(self):
        """The abbreviation tables use, where the full name would not fit: "MOU", "SEA"."""
        return {"mou": _("MOU"), "sea": _("SEA")}[self.value]


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    IN_EFFECT = "in_effect", _("In effect")
    RENEWING = "renewing", _("Renewal under negotiation")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# An agreement whose renewal is being negotiated still binds both sides: it is in effect for
# the public pages, the API and the rule of one agreement of a kind in effect per partner.
RUNNING_STATUSES = (AgreementStatus.IN_EFFECT, AgreementStatus.RENEWING)


class RenewalType(models.TextChoices):
    FIXED = "fixed", _("Fixed term")
    AUTOMATIC = "automatic", _("Renews automatically")
    INDEFINITE = "indefinite", _("Indefinite (no fixed end)")


class AgreementQuerySet(models.QuerySet):
    def public(self):
        """What the public may read: published, of a published partner, and concluded (an
        agreement under negotiation is the office's business until it is signed)."""
        return self.filter(is_published=True, institution__is_published=True).exclude(
            status=AgreementStatus.NEGOTIATING
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def in_effect(self):
        """Agreements that bind both sides today: in effect, or in effect while renewing."""
        return self.filter(status__in=RUNNING_STATUSES)


ONE_IN_EFFECT_PER_KIND = "agreement_one_in_effect_per_kind"


class Agreement(models.Model):
    """A memorandum (MOU) or student exchange agreement (SEA) with one institution."""

    # An institution with agreements cannot be deleted: they are ended or removed first.
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=3, choices=AgreementKind.choices)
    concluded_year = models.PositiveSmallIntegerField(
        _("year of conclusion"),
        help_text=_("Year the agreement was first concluded, e.g. 1998."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_(
            "Last day of the term. Leave blank for an agreement with no fixed end (renewal "
            "type Indefinite) or while the date is not known."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_EFFECT,
    )
    renewal_type = models.CharField(
        _("renewal type"),
        max_length=10,
        choices=RenewalType.choices,
        default=RenewalType.FIXED,
        db_default=RenewalType.FIXED,
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Months of written notice either side must give to end the agreement or not "
            "renew it, e.g. 6. Leave blank if the agreement sets none."
        ),
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_agreements",
        limit_choices_to={"is_staff": True},
        verbose_name=_("responsible staff member"),
        help_text=_("Receives the renewal reminders for this agreement."),
    )
    partner_contact_name = models.CharField(
        _("partner contact"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("The person at the partner institution who looks after the agreement."),
    )
    partner_contact_email = models.EmailField(
        _("partner contact e-mail"), blank=True, default="", db_default=""
    )
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("renews"),
        help_text=_("The agreement this one renews; it is kept as history."),
    )
    scope_note = models.TextField(
        _("scope note"),
        blank=True,
        help_text=_(
            "Public footnote on what the agreement covers, e.g. "
            '"The SEA does not include Sciences Po Grenoble-UGA."'
        ),
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Internal; never shown to the public.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public pages.")
    )
    objects = AgreementQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        default_permissions = SPREADSHEET_PERMISSIONS
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["institution__name", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"],
                condition=Q(status__in=RUNNING_STATUSES),
                name=ONE_IN_EFFECT_PER_KIND,
                violation_error_message=_(
                    "This institution already has an agreement of this kind in effect."
                ),
            ),
            models.CheckConstraint(
                condition=Q(concluded_year__gte=EARLIEST_YEAR, concluded_year__lte=LATEST_YEAR),
                name="agreement_concluded_year_plausible",
                violation_error_message=_("The year of conclusion must be between 1900 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="agreement_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values),
                name="agreement_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(renewal_type__in=RenewalType.values),
                name="agreement_renewal_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(renewal_type=RenewalType.INDEFINITE) | Q(end_date__isnull=True),
                name="agreement_indefinite_has_no_end",
                violation_error_message=_(
                    "An agreement with no fixed end has no end date: clear the end date or "
                    "choose another renewal type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(notice_period_months__isnull=True) | Q(notice_period_months__lte=120),
                name="agreement_notice_period_plausible",
                violation_error_message=_("The notice period must be at most 120 months."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("pk")),
                name="agreement_not_own_predecessor",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.institution} ({self.concluded_year})"

    @property
    def is_running(self):
        return self.status in RUNNING_STATUSES

    def predecessor_it_replaces(self):
        """The running predecessor this agreement replaces as it takes effect, if any: one of
        the same institution and kind, while this one is running. Whoever saves it ends that
        predecessor first (renewals.services.successor_takes_over): the database allows one
        agreement of a kind in effect per institution."""
        if self.status not in RUNNING_STATUSES or self.predecessor_id is None:
            return None
        predecessor = (
            Agreement.objects.filter(pk=self.predecessor_id, status__in=RUNNING_STATUSES)
            .only("pk", "status", "institution_id", "kind")
            .first()
        )
        if predecessor is None or (predecessor.institution_id, predecessor.kind) != (
            self.institution_id,
            self.kind,
        ):
            return None
        return predecessor

    def get_constraints(self):
        """A successor taking effect ends its predecessor (predecessor_it_replaces): the rule
        of one in effect per kind is not checked against it. Nothing else can conflict: the
        database lets the institution have only one agreement of the kind in effect, and that
        is the predecessor. A successor being added (a deleted one restored) is checked: no
        save of a new agreement hands over, so it is refused in words, not by the database."""
        constraints = super().get_constraints()
        if self._state.adding or self.predecessor_it_replaces() is None:
            return constraints
        return [
            (model, [c for c in model_constraints if c.name != ONE_IN_EFFECT_PER_KIND])
            for model, model_constraints in constraints
        ]
