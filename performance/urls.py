"""URLs of the performance app, mounted under /p/<partnership>/performance/."""

from django.urls import path

from performance import (
    entry_views,
    homeoffice_views,
    policeuk_views,
    reference_views,
    target_views,
    upload_views,
    views,
)

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("trend/", views.trend, name="trend"),
    path("beats/", views.beats, name="beats"),
    path("family/", views.family, name="family"),
    path("rates/", views.rates, name="rates"),
    path("enter/", entry_views.enter, name="enter"),
    path("enter/<int:year>/q<int:quarter>/", entry_views.enter_quarter, name="enter_quarter"),
    path("enter/<int:year>/q<int:quarter>/publish/", entry_views.publish, name="publish"),
    path("enter/<int:year>/q<int:quarter>/history/", entry_views.history, name="history"),
    path("upload/", upload_views.upload, name="upload"),
    path("upload/confirm/", upload_views.upload_confirm, name="upload_confirm"),
    path("policeuk/", policeuk_views.policeuk, name="policeuk"),
    path("policeuk/confirm/", policeuk_views.policeuk_confirm, name="policeuk_confirm"),
    path("homeoffice/", homeoffice_views.homeoffice, name="homeoffice"),
    path("homeoffice/confirm/", homeoffice_views.homeoffice_confirm, name="homeoffice_confirm"),
    path("lsoa/", reference_views.lsoa, name="lsoa"),
    path("targets/", target_views.targets, name="targets"),
    path("family/figures/", reference_views.family_upload, name="family_upload"),
]
