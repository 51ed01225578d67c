from django.contrib import admin

from .models import ExecutionEvent, MilestoneReminder, ProgressReport, ShowcaseSession, ShowcaseSlot


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["label", "milestone", "status", "submitted_at", "published_at"]
    list_filter = ["status", "milestone__call"]


class ShowcaseSlotInline(admin.TabularInline):
    model = ShowcaseSlot
    extra = 0


@admin.register(ShowcaseSession)
class ShowcaseSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "starts_at", "ends_at", "room"]
    inlines = [ShowcaseSlotInline]


@admin.register(MilestoneReminder)
class MilestoneReminderAdmin(admin.ModelAdmin):
    list_display = ["label", "milestone", "kind", "sent_at"]


@admin.register(ExecutionEvent)
class ExecutionEventAdmin(admin.ModelAdmin):
    list_display = ["at", "call", "kind", "actor"]
    list_filter = ["kind"]
