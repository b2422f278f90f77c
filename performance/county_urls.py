"""URLs of the performance app's county pages, mounted under /county/<county>/performance/."""

from django.urls import path

from performance import county_views

app_name = "county_performance"

urlpatterns = [
    path("", county_views.county_performance, name="index"),
]
