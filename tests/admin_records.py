"""A record of every kind the admin lists, for the tests that open every admin page: the seed
(loaded by the test's fixture), plus what it has none of (a laboratory, a failed login, an
import record, signed documents) and a second version of each record those pages open."""

import datetime
import hashlib
import io

from axes.models import AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db.models import Count
from django.forms.models import _get_foreign_key
from django.utils import timezone
from pypdf import PdfWriter
from simple_history.models import HistoricalChanges

from agreements.models import (
    Agreement,
    AgreementDocument,
    DocumentKind,
    Institution,
    OnSiteLaboratory,
)
from imports.models import ImportRecord
from places.models import Country
from staff.roles import roles_create

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def has_history(model):
    return hasattr(model, "history") and issubclass(model.history.model, HistoricalChanges)


def fullest(model):
    """The record whose change form has the most inline rows (the widest, the longest)."""
    model_admin = admin.site._registry[model]
    records = model._default_manager.order_by("pk")
    counts = [
        Count(_get_foreign_key(model, inline.model, fk_name=inline.fk_name).related_query_name())
        for inline in model_admin.inlines
    ]
    if counts:
        records = records.annotate(_inline_rows=sum(counts[1:], counts[0]))
        records = records.order_by("-_inline_rows", "pk")
    return records.first()


def make_groups():
    """The roles' groups with their permissions: a migration made them, but they are gone in a
    test after one that flushed the database."""
    roles_create(apps)


def make_every_kind_of_record():
    """The roles' groups, and a record of each kind the seed has none of, so that every list
    has rows; then a second version of the record each model's pages open."""
    make_groups()
    laboratory = OnSiteLaboratory.objects.create(
        name="Test laboratory of synthetic sciences (for the width tests)",
        slug="test-laboratory",
        departments="Test Department of Examples; Test Graduate School of Samples",
        country=Country.objects.get(name="France"),
        research_field="Synthetic test data and the measurement of page widths",
        established=datetime.date(2020, 4, 1),
        website="https://laboratory.example.org/",
        description="A synthetic laboratory, named as such.",
    )
    laboratory.partner_institutions.set(Institution.objects.filter(country__name="France")[:3])
    AccessFailureLog.objects.create(
        username="nobody",
        ip_address="192.0.2.10",
        user_agent="Test browser (synthetic)",
        http_accept="text/html",
        path_info="/admin/login/",
        locked_out=False,
    )
    ImportRecord.objects.create(
        kind="statistics",
        model_label="exchanges.exchangestatistic",
        file_name="test-researcher-counts-2022-inbound-synthetic-file-name.xlsx",
        file_size=12345,
        sha256="0" * 64,
        scope="2022 inbound",
        created_count=12,
        updated_count=3,
        unchanged_count=69,
        summary="12 new, 3 changed, 69 unchanged.",
    )
    _signed_documents(Agreement.objects.order_by("pk").first())
    # An old version of every record the pages open: one save adds a version after the first.
    for model in MODELS:
        record = fullest(model)
        if record is not None and has_history(model):
            record.save()


def _signed_documents(agreement):
    """A signed agreement and an amendment with long names, real PDFs in DOCUMENTS_ROOT: the
    agreement's page then has the widest documents table."""
    for kind, title, name in [
        (DocumentKind.SIGNED, "", "学生交流協定書_署名済み_2024年4月1日_最終版_スキャン.pdf"),
        (
            DocumentKind.AMENDMENT,
            "Amendment 1: doctoral students and short-term research visits included",
            "Amendment-1-doctoral-students-and-short-term-research-visits-signed-copy.pdf",
        ),
    ]:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        content = buffer.getvalue()
        AgreementDocument.objects.create(
            agreement=agreement,
            kind=kind,
            title=title,
            signed_on=datetime.date(2024, 4, 1),
            file=ContentFile(content, name="upload.pdf"),
            original_name=name,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=timezone.now(),
        )
