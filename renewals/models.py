"""What the renewal reminders remember: each staff member's choices, and each reminder sent."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement


def new_calendar_token():
    """A random, unguessable part of a calendar address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class ReminderProfileQuerySet(models.QuerySet):
    def of_active_staff(self):
        """Profiles whose user may still use the admin: a former colleague's feed is gone."""
        return self.filter(user__is_active=True, user__is_staff=True)


class ReminderProfile(models.Model):
    """A staff member's own settings for the reminders: their language and calendar address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mails and calendar"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The reminders and the calendar's entries are written in this language."),
    )
    # Kept as it is, not hashed, so that its owner can read the address again on their page
    # (to subscribe on another device); it grants only what the database itself holds.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token
    )

    objects = ReminderProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="reminderprofile_language_known",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @classmethod
    def of(cls, user):
        """The user's settings, made with the defaults the first time they are needed."""
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


class ReminderOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    # A run that finds an agreement past several windows sends only the narrowest; the wider
    # ones are recorded so that no later run sends them.
    SKIPPED = "skipped", _("Skipped (a narrower window was due)")


class RenewalReminder(models.Model):
    """One reminder for one agreement, window and end date: sent (or skipped) once only."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="renewal_reminders",
        verbose_name=_("agreement"),
    )
    window_days = models.PositiveSmallIntegerField(
        _("days before the end"), help_text=_("The window this reminder was for, e.g. 90.")
    )
    # The end date it was about: a renewed or changed end date gets reminders of its own.
    end_date = models.DateField(_("end date"))
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=ReminderOutcome.choices, default=ReminderOutcome.SENT
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            # Two runs at once cannot both send: the second one's row is refused.
            models.UniqueConstraint(
                fields=["agreement", "window_days", "end_date"],
                name="renewalreminder_once_per_window_and_end",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ReminderOutcome.values),
                name="renewalreminder_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(window_days__gte=1), name="renewalreminder_window_positive"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} – {self.window_days} ({self.end_date})"
