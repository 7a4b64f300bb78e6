"""Renewing agreements from the admin: the Renew page of one agreement, the bulk action for
those selected in the list, the renewal chain shown on an agreement's form, and the renewal
dashboard's lists in the list's state filter.

They join the agreements' and institutions' admin by subclasses registered in their place, as
Django's documentation extends another app's admin (UserAdmin): every part is a documented
ModelAdmin hook (actions, get_urls, render_change_form, change_form_template, fieldsets,
list_filter, save_model, save_formset, resource_classes), so agreements offers no plug-in
interface of its own and does not know this app. So is the hand-over: an agreement that staff
set in effect (on its page, in its institution's table, by the records import) ends the one it
renews, by the service called here in the save's transaction, not by a signal or save(). Admin
autodiscover imports this module after agreements' (renewals comes later in INSTALLED_APPS);
in the other order unregister fails at start-up rather than leave the parts out.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.admin import AgreementAdmin, InstitutionAdmin
from agreements.admin_filters import AgreementStateFilter
from agreements.models import Agreement, Institution
from agreements.resources import AgreementResource

from .forms import RenewalForm
from .lists import renewal_lists
from .services import (
    agreement_renew,
    agreements_renew,
    renewal_defaults,
    renewal_refusal,
    successor_takes_over,
)


def _agreement_or_404(key):
    """The agreement at a key in the address; anything that cannot be a key is a 404."""
    field = Agreement._meta.pk
    try:
        value = field.to_python(unquote(key))
        field.run_validators(value)
    except ValidationError as error:
        raise Http404 from error
    agreement = (
        Agreement.objects.select_related("institution", "responsible_staff")
        .filter(pk=value)
        .first()
    )
    if agreement is None:
        raise Http404(_("No agreement at this address."))
    return agreement


def _change_url(model_admin, agreement):
    opts = model_admin.model._meta
    return reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
        args=[quote(agreement.pk)],
    )


def _log(model_admin, request, successor):
    model_admin.log_addition(request, successor, _("Added as the renewal of its predecessor."))
    model_admin.log_change(request, successor.predecessor, _("Renewal started."))


def renew_view(model_admin, request, object_id):
    """The Renew page: the new term's dates, proposed, then the successor created."""
    # Renewing adds the successor and changes the agreement: both rights, asked before the
    # address is looked at, as Django's own pages do.
    if not model_admin.has_add_and_change_permission(request):
        raise PermissionDenied
    agreement = _agreement_or_404(object_id)
    if not model_admin.has_add_and_change_permission(request, agreement):
        raise PermissionDenied
    refusal = renewal_refusal(agreement)
    if refusal:
        model_admin.message_user(
            request,
            _("“%(agreement)s” cannot be renewed: %(reason)s Nothing was changed.")
            % {"agreement": agreement, "reason": refusal},
            messages.ERROR,
        )
        return HttpResponseRedirect(_change_url(model_admin, agreement))
    form = RenewalForm(
        request.POST if request.method == "POST" else None, initial=renewal_defaults(agreement)
    )
    if form.is_valid():
        try:
            successor = agreement_renew(
                agreement=agreement,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _log(model_admin, request, successor)
            model_admin.message_user(
                request,
                _(
                    "The renewal of “%(agreement)s” has started: this is its successor, under "
                    "negotiation. Set it in effect once it is signed; the current agreement "
                    "then expires."
                )
                % {"agreement": agreement},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(_change_url(model_admin, successor))
    return _renew_page(model_admin, request, agreement, form)


def _renew_page(model_admin, request, agreement, form):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Renew %(agreement)s") % {"agreement": agreement},
        "subtitle": None,
        "opts": model_admin.model._meta,
        "original": agreement,
        "agreement": agreement,
        "form": form,
        "change_url": _change_url(model_admin, agreement),
        "has_view_permission": True,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/renewals/renew.html", context)


@admin.action(
    description=gettext_lazy("Start renewal of selected agreements"),
    # Both rights: Django offers an action listing ["add", "change"] to users with either.
    permissions=["add_and_change"],
)
def start_renewal(model_admin, request, queryset):
    """Each selected running agreement gets its successor with the proposed dates; all or
    nothing."""
    try:
        successors = agreements_renew(
            agreements=list(queryset.select_related(None).only("pk")),
            user=request.user,
            reason=_("Started from the list"),
        )
    except ValidationError as error:
        model_admin.message_user(
            request,
            _("Nothing was changed: %(problems)s") % {"problems": " ".join(error.messages)},
            messages.ERROR,
        )
        return
    for successor in successors:
        _log(model_admin, request, successor)
    model_admin.message_user(
        request,
        _(
            "Started the renewal of %(count)d agreements: each has a successor under "
            "negotiation, with the proposed dates."
        )
        % {"count": len(successors)},
        messages.SUCCESS,
    )


def renewal_chain(model_admin, agreement):
    """Links to the agreement this one renews and to the one that renews it."""
    if agreement is None or agreement.pk is None:
        return "–"
    lines = []
    predecessor = agreement.predecessor
    if predecessor is not None:
        lines.append((_("Renews"), _change_url(model_admin, predecessor), predecessor))
    successor = Agreement.objects.filter(predecessor=agreement).first()
    if successor is not None:
        lines.append((_("Renewed by"), _change_url(model_admin, successor), successor))
    if not lines:
        return _("Neither renews nor is renewed by another agreement.")
    return format_html(
        '<ul class="renewal-chain">{}</ul>',
        format_html_join(
            "",
            '<li>{}: <a href="{}">{}</a> ({})</li>',
            ((label, url, other, other.get_status_display()) for label, url, other in lines),
        ),
    )


class RenewalStateFilter(AgreementStateFilter):
    """The agreements' states and the renewal dashboard's lists, which its counts link to
    (``ending-3``, ``ending-6``, ``ending-12``, ``overdue``, ``negotiating``)."""

    def lookups(self, request, model_admin):
        lists = renewal_lists(timezone.localdate())
        return [*super().lookups(request, model_admin), *((key, label) for key, label, _c in lists)]

    def queryset(self, request, queryset):
        conditions = {key: condition for key, _l, condition in renewal_lists(timezone.localdate())}
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return super().queryset(request, queryset)


def _with_renewal_chain(fieldsets):
    """The agreement's fieldsets with the renewal chain before the last one (the notes)."""
    *fields, notes = fieldsets
    return [*fields, (gettext_lazy("Renewal chain"), {"fields": ["renewal_chain"]}), notes]


def _hand_over_if_taking_effect(agreement, *, user):
    """End the running agreement ``agreement`` renews if saving it now puts it in effect."""
    if agreement.predecessor_it_replaces() is not None:
        successor_takes_over(agreement=agreement, user=user)


class HandingOverAgreementResource(AgreementResource):
    """The records import: a row that sets a successor in effect ends the agreement it renews,
    as the admin's pages do."""

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        _hand_over_if_taking_effect(instance, user=kwargs.get("user"))


admin.site.unregister(Institution)


@admin.register(Institution)
class HandingOverInstitutionAdmin(InstitutionAdmin):
    def save_formset(self, request, form, formset, change):
        """An agreement set in effect in the institution's table ends the one it renews, as on
        its own page (inside the admin's transaction for the whole form)."""
        if formset.model is Agreement:
            for agreement_form in formset.forms:
                if agreement_form.has_changed() and agreement_form not in formset.deleted_forms:
                    _hand_over_if_taking_effect(agreement_form.instance, user=request.user)
        super().save_formset(request, form, formset, change)


admin.site.unregister(Agreement)


@admin.register(Agreement)
class RenewingAgreementAdmin(AgreementAdmin):
    actions = [*AgreementAdmin.actions, start_renewal]
    resource_classes = [HandingOverAgreementResource]
    import_resource_classes = [
        HandingOverAgreementResource if item is AgreementResource else item
        for item in AgreementAdmin.import_resource_classes
    ]
    change_form_template = "admin/renewals/agreement_change_form.html"
    list_filter = [
        RenewalStateFilter if item is AgreementStateFilter else item
        for item in AgreementAdmin.list_filter
    ]
    readonly_fields = [*AgreementAdmin.readonly_fields, "renewal_chain"]
    fieldsets = _with_renewal_chain(AgreementAdmin.fieldsets)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/renew/",
                self.admin_site.admin_view(self.renew_view),
                name=f"{opts.app_label}_{opts.model_name}_renew",
            ),
            *super().get_urls(),
        ]

    def renew_view(self, request, object_id):
        return renew_view(self, request, object_id)

    def save_model(self, request, obj, form, change):
        # Inside the admin's transaction for the whole form, as the service asks.
        _hand_over_if_taking_effect(obj, user=request.user)
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_renew"] = (
            obj is not None
            and self.has_add_and_change_permission(request, obj)
            and renewal_refusal(obj) is None
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=gettext_lazy("renewal chain"))
    def renewal_chain(self, obj):
        return renewal_chain(self, obj)
