"""Label pages: the organiser awards and revokes, the carrier downloads, anyone verifies."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.accounts.access import require_organiser
from convergence.applications.models import Application
from convergence.calls.access import access_call_for_organiser
from convergence.review.models import Decision
from convergence.web.feedback import attempt

from . import services, signing
from .access import access_kit_file, access_label_for_carrier, kit_files_for
from .certificate import certificate_pdf
from .forms import KitUploadForm, PublicFieldsForm, RevokeForm
from .models import KitDownload, KitFile, Label
from .selectors import label_verification, public_entry


def labels_manage(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    upload = KitUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        attempt(
            request,
            lambda: services.kit_file_add(
                call=call, user=request.user, title=upload.cleaned_data["title"], upload=upload.cleaned_data["file"]
            ),
            _("File added to the kit. Carriers of labelled challenges are notified."),
        )
        return redirect("labels:manage", slug=slug)
    pending = Application.objects.filter(
        call=call, decision__outcome=Decision.Outcome.LABELLED, label__isnull=True
    ).select_related("owner")
    kit = KitFile.objects.filter(call=call, removed_at__isnull=True)
    return render(
        request,
        "labels/manage.html",
        {
            "call": call,
            "labels": Label.objects.filter(call=call).select_related("application"),
            "pending": pending,
            "published": hasattr(call, "selection") and call.selection.decisions_published_at is not None,
            "kit": kit,
            "downloads": KitDownload.objects.filter(kit_file__call=call).select_related("user", "kit_file")[:50],
            "upload": upload,
        },
    )


@require_POST
def labels_award(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    attempt(
        request,
        lambda: services.labels_award_selected(call=call, user=request.user),
        _("%(count)d label(s) awarded."),
    )
    return redirect("labels:manage", slug=slug)


@require_POST
def kit_file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_organiser(request.user)
    kit_file = get_object_or_404(KitFile, pk=pk)
    services.kit_file_remove(kit_file=kit_file, user=request.user)
    messages.success(request, _("File removed from the kit."))
    return redirect("labels:manage", slug=kit_file.call.slug)


def label_admin(request: HttpRequest, identifier: str) -> HttpResponse:
    require_organiser(request.user)
    label = get_object_or_404(Label.objects.select_related("call", "application"), identifier=identifier)
    revoke = RevokeForm(request.POST if "revoke" in request.POST else None)
    public = PublicFieldsForm(
        request.POST if "public_fields" in request.POST else None, initial={"shown": label.public_fields}
    )
    if revoke.is_bound and revoke.is_valid():
        attempt(
            request,
            lambda: services.label_revoke(label=label, user=request.user, reason=revoke.cleaned_data["reason"]),
            _("Label revoked."),
        )
        return redirect("labels:admin", identifier=identifier)
    if public.is_bound and public.is_valid():
        attempt(
            request,
            lambda: services.label_public_fields_update(
                label=label, user=request.user, fields=public.cleaned_data["shown"]
            ),
            _("Public fields saved."),
        )
        return redirect("labels:admin", identifier=identifier)
    return render(
        request,
        "labels/admin.html",
        {"label": label, "revoke": revoke, "public": public, "events": label.events.select_related("actor")},
    )


def label_mine(request: HttpRequest, identifier: str) -> HttpResponse:
    label = access_label_for_carrier(user=request.user, identifier=identifier)
    sections = [import_string(path)(request, label) for path in settings.LABEL_PANELS]
    return render(
        request,
        "labels/mine.html",
        {"label": label, "kit": kit_files_for(user=request.user, label=label), "sections": sections},
    )


@require_GET
def certificate_download(request: HttpRequest, identifier: str) -> HttpResponse:
    label = access_label_for_carrier(user=request.user, identifier=identifier)
    response = HttpResponse(certificate_pdf(label), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{label.identifier}.pdf"'
    return response


@require_GET
def label_document(request: HttpRequest, identifier: str) -> HttpResponse:
    """label.json: public, as it holds only what the certificate prints; checkable offline."""
    label = get_object_or_404(Label, identifier=identifier)
    response = HttpResponse(
        signing.signed_document(payload=label.payload, signature=label.signature, key=label.key_id),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{label.identifier}.json"'
    return response


@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="convergence-labels.pem"'
    return response


@require_GET
def public_key_by_id(request: HttpRequest, key_id: str) -> HttpResponse:
    """The key that signed a given label, current or retired: its id is printed on the certificate."""
    pem = signing.public_key_pem_for(key_id)
    if pem is None:
        raise Http404
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'inline; filename="convergence-labels-{key_id}.pem"'
    return response


@require_GET
def verify(request: HttpRequest, identifier: str) -> HttpResponse:
    verification = label_verification(identifier)
    entry = public_entry(verification.label) if verification.label else None
    key_id = verification.label.key_id if verification.label else signing.key_id()
    return render(
        request,
        "labels/verify.html",
        {"verification": verification, "identifier": identifier, "entry": entry, "key_id": key_id},
    )


@require_GET
def kit_download(request: HttpRequest, pk: int) -> FileResponse:
    kit_file, label = access_kit_file(user=request.user, kit_file_id=pk)
    services.kit_download_record(kit_file=kit_file, user=request.user, label=label)
    response = FileResponse(
        kit_file.file.open("rb"),
        as_attachment=True,
        filename=f"{kit_file.title[:80] or 'kit'}.{kit_file.extension}",
        content_type=kit_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
