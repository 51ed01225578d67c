from django.contrib import admin

from .models import KitDownload, KitFile, Label, LabelEvent


class LabelEventInline(admin.TabularInline):
    model = LabelEvent
    extra = 0
    readonly_fields = ["kind", "actor", "details", "at"]
    can_delete = False


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["identifier", "call", "status", "awarded_at"]
    list_filter = ["call", "status"]
    search_fields = ["identifier", "application__title"]
    # The signed content is never edited here: a change would break the certificate's signature.
    readonly_fields = ["payload", "signature", "key_id", "identifier", "application", "call", "awarded_at"]
    inlines = [LabelEventInline]


@admin.register(KitFile)
class KitFileAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "size", "uploaded_at", "removed_at"]
    list_filter = ["call"]


@admin.register(KitDownload)
class KitDownloadAdmin(admin.ModelAdmin):
    list_display = ["kit_file", "user", "at"]
    readonly_fields = ["kit_file", "user", "label", "at"]
