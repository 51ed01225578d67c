from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "convergence.review"
    verbose_name = _("Selection committee")
