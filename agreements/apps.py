from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Partners and agreements")
    admin_position = 10  # first among the office's records on the admin's home

    # What the office's staff roles may do here (staff/roles.py): every role reads every
    # record, reference data included (which only superusers change); Editors and Importers
    # keep these.
    staff_viewed = "__all__"
    staff_edited = (
        "institution",
        "agreement",
        "agreementdocument",
        "strategicpartnership",
        "partnershipevent",
        "onsitelaboratory",
    )
