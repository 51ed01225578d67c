from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
]
