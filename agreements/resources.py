"""Each record's own spreadsheet export, which imports back unchanged, and the memoranda list."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from imports.resources import LayoutResource, RecordResource
from places.resources import CountryWidget

from .memoranda import MemorandaLayout
from .models import (
    Agreement,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
    StrategicPartnership,
)


class InstitutionResource(RecordResource):
    country = fields.Field(
        attribute="country",
        column_name=_("Country or region"),
        widget=CountryWidget(),
    )
    parent = fields.Field(
        attribute="parent",
        column_name=_("Parent institution (slug)"),
        widget=widgets.ForeignKeyWidget(Institution, field="slug"),
    )

    ror_id = fields.Field(attribute="ror_id", column_name=_("ROR ID"))

    class Meta(RecordResource.Meta):
        model = Institution
        fields = [
            "slug",
            "name",
            "name_ja",
            "country",
            "parent",
            "kind",
            "website",
            "ror_id",
            "notes",
            "is_published",
        ]
        import_id_fields = ["slug"]

    def get_queryset(self):
        return super().get_queryset().select_related("country", "parent")


class InstitutionBySlugWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Institution, field="slug")


class StaffByUsernameWidget(widgets.ForeignKeyWidget):
    """A staff member by user name; only staff accounts are accepted."""

    def __init__(self, **kwargs):
        super().__init__(get_user_model(), field="username", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(is_staff=True)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            # A ValueError becomes the cell's own message on the preview.
            raise ValueError(
                _("No staff member has the user name “%(name)s”.") % {"name": value}
            ) from None


class AgreementResource(RecordResource):
    institution = fields.Field(
        attribute="institution",
        column_name=_("Institution (slug)"),
        widget=InstitutionBySlugWidget(),
    )
    responsible_staff = fields.Field(
        attribute="responsible_staff",
        column_name=_("Responsible staff member (user name)"),
        widget=StaffByUsernameWidget(),
    )

    class Meta(RecordResource.Meta):
        model = Agreement
        fields = [
            "id",
            "institution",
            "kind",
            "concluded_year",
            "start_date",
            "end_date",
            "status",
            "renewal_type",
            "notice_period_months",
            "responsible_staff",
            "partner_contact_name",
            "partner_contact_email",
            "scope_note",
            "internal_notes",
            "is_published",
        ]
        import_id_fields = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("institution", "responsible_staff")


class MemorandaResource(LayoutResource):
    """The published memoranda list: Country/Region, Institution, MOU year, SEA year."""

    layout_class = MemorandaLayout

    class Meta(LayoutResource.Meta):
        model = Agreement


class StrategicPartnershipResource(RecordResource):
    institution = fields.Field(
        attribute="institution",
        column_name=_("Institution (slug)"),
        widget=InstitutionBySlugWidget(),
    )

    class Meta(RecordResource.Meta):
        model = StrategicPartnership
        fields = ["institution", "since", "description", "is_published"]
        import_id_fields = ["institution"]


class PartnershipEventResource(RecordResource):
    partnership = fields.Field(
        attribute="partnership",
        column_name=_("Partner institution (slug)"),
        widget=widgets.ForeignKeyWidget(StrategicPartnership, field="institution__slug"),
    )

    class Meta(RecordResource.Meta):
        model = PartnershipEvent
        fields = ["id", "partnership", "date", "date_precision", "title", "place", "description"]
        import_id_fields = ["id"]


class OnSiteLaboratoryResource(RecordResource):
    country = fields.Field(
        attribute="country",
        column_name=_("Country or region"),
        widget=CountryWidget(),
    )
    partner_institutions = fields.Field(
        attribute="partner_institutions",
        column_name=_("Partner institutions (slugs, separated by |)"),
        widget=widgets.ManyToManyWidget(Institution, field="slug", separator="|"),
    )

    class Meta(RecordResource.Meta):
        model = OnSiteLaboratory
        fields = [
            "slug",
            "name",
            "departments",
            "partner_institutions",
            "country",
            "research_field",
            "established",
            "website",
            "description",
            "is_published",
        ]
        import_id_fields = ["slug"]


class ProgrammeResource(RecordResource):
    class Meta(RecordResource.Meta):
        model = Programme
        fields = ["slug", "name", "summary", "aims", "outcomes", "website", "display_order"]
        import_id_fields = ["slug"]
