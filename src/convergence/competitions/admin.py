from django.contrib import admin

from .models import Competition, CompetitionEvent, Participant, Phase, Submission, Team


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "participation", "host", "created_at"]
    search_fields = ["title", "slug"]
    inlines = [PhaseInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "competition", "status", "team", "requested_at"]
    list_filter = ["status", "competition"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "competition", "created_by"]
    exclude = ["join_code"]  # the members' secret


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["pk", "phase", "participant", "status", "public_score", "private_score", "attempts", "created_at"]
    list_filter = ["status", "phase__competition"]
    readonly_fields = ["public_score", "private_score", "ground_truth_version", "attempts", "started_at", "finished_at"]


@admin.register(CompetitionEvent)
class CompetitionEventAdmin(admin.ModelAdmin):
    list_display = ["at", "competition", "actor", "kind"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
