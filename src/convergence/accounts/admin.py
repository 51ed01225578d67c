from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_organiser", "is_committee_member", "is_active", "date_joined")
    list_filter = ("is_organiser", "is_committee_member", "is_staff", "is_active")
    search_fields = ("email", "full_name", "organisation")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "organisation", "preferred_language", "expertise_keywords")}),
        (_("Roles"), {"fields": ("is_organiser", "is_committee_member", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
