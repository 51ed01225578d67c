from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "convergence.insights"
    verbose_name = "Insights"
