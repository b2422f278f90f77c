"""URLs of the county's Safer Communities Agreement, mounted under /county/<county>/agreement/."""

from django.urls import path

from plans import agreement_views

app_name = "agreement"

urlpatterns = [
    path("", agreement_views.index, name="index"),
    path("<int:pk>/", agreement_views.detail, name="detail"),
]
