from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "convergence.web"
    verbose_name = "Web"
