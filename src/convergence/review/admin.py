from django.contrib import admin

from .models import Assignment, CommitteeMember, Conflict, Decision, Eligibility, Review, Selection, SelectionEvent

admin.site.register([Selection, CommitteeMember, Conflict, Eligibility, Assignment, Review, Decision])


@admin.register(SelectionEvent)
class SelectionEventAdmin(admin.ModelAdmin):
    list_display = ("at", "call", "actor", "kind", "application", "member")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
