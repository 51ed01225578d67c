from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
    path("calls/<slug:slug>/close/", views.call_close, name="close"),
]
