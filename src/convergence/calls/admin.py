from django.contrib import admin

from .models import Call, Criterion, Format, Milestone, PriorityDomain, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("slug", "opens_at", "closes_at", "is_demo", "is_published")
    inlines = [ThemeInline, CriterionInline, MilestoneInline]


admin.site.register([Format, PriorityDomain])
