"""The records the international office keeps: its partners, and what binds us to them,
one module per concept; every model is importable from here, as Django expects."""

# The signed documents live in their own module; imported here so Django finds the model.
from ..documents.models import AgreementDocument, DocumentKind  # noqa: F401
from .agreements import (  # noqa: F401 - the app's models and their choices
    ONE_IN_EFFECT_PER_KIND,
    RUNNING_STATUSES,
    Agreement,
    AgreementKind,
    AgreementQuerySet,
    AgreementStatus,
    RenewalType,
)
from .institutions import (  # noqa: F401 - the app's models and their choices
    EARLIEST_YEAR,
    LATEST_YEAR,
    Institution,
    InstitutionKind,
    InstitutionManager,
    InstitutionQuerySet,
)
from .partnerships import (  # noqa: F401 - the app's models and their choices
    DatePrecision,
    OnSiteLaboratory,
    OnSiteLaboratoryQuerySet,
    PartnershipEvent,
    StrategicPartnership,
    StrategicPartnershipQuerySet,
)
from .programmes import (  # noqa: F401 - the app's models and their choices
    Programme,
)
