from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from convergence.calls.i18n import localize

from .models import Label


@shared_task(acks_late=True)
def notify_kit_available(call_id: int) -> int:
    """Tell each carrier of a valid label that the kit is there; claimed per label, so never twice."""
    sent = 0
    for label_id in Label.objects.filter(
        call_id=call_id, status=Label.Status.VALID, kit_notified_at__isnull=True
    ).values_list("pk", flat=True):
        claimed = Label.objects.filter(pk=label_id, kit_notified_at__isnull=True).update(kit_notified_at=timezone.now())
        if not claimed:
            continue
        label = Label.objects.select_related("application__owner", "call").get(pk=label_id)
        owner = label.application.owner
        with override(owner.preferred_language or settings.LANGUAGE_CODE):
            body = _(
                "Hello,\n\nThe communication kit of “%(call)s” is available for your labelled challenge “%(title)s” "
                "(label %(identifier)s): logos, graphic guidelines and press material.\n"
                "Download it from your space: %(link)s\n\nThe Convergence team"
            ) % {
                "call": localize(label.call.title),
                "title": label.payload["title"],
                "identifier": label.identifier,
                "link": settings.SITE_URL + reverse("labels:mine", kwargs={"identifier": label.identifier}),
            }
            send_mail(_("Your communication kit is available"), body, None, [owner.email])
        sent += 1
    return sent
