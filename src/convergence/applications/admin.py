from django.contrib import admin

from .models import Application, ApplicationEvent, Attachment, CriterionClaim, DatasetUsed, Partner, Submission


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class DatasetInline(admin.TabularInline):
    model = DatasetUsed
    extra = 0


class ClaimInline(admin.TabularInline):
    model = CriterionClaim
    extra = 0


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    can_delete = False
    fields = ("number", "receipt_number", "submitted_at", "digest")
    readonly_fields = fields


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "kind", "from_status", "to_status", "details")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "owner", "call", "status", "version", "submitted_at", "updated_at")
    list_filter = ("call", "status", "format")
    search_fields = ("title", "carrier_name", "owner__email")
    readonly_fields = ("version", "created_at", "updated_at", "submitted_at")
    inlines = [PartnerInline, DatasetInline, ClaimInline, SubmissionInline, EventInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("receipt_number", "application", "number", "submitted_at", "digest")
    search_fields = ("receipt_number", "digest")

    def has_change_permission(self, request, obj=None):
        return False  # a submitted version is evidence: never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "application", "size", "uploaded_at", "removed_at")


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ("at", "application", "actor", "kind", "from_status", "to_status")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
