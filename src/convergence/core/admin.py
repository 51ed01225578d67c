from django.contrib import admin

from .models import PendingTask


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ("task", "args", "created_at", "attempts", "last_error")
    readonly_fields = ("task", "args", "options", "created_at", "attempts", "last_error")
