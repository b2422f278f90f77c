"""URLs of the county's funding formula, mounted under /county/<county>/funding/."""

from django.urls import path

from funding import allocation_views

app_name = "allocation"

urlpatterns = [
    path("allocation/", allocation_views.allocation, name="index"),
    path("allocation.csv", allocation_views.allocation_csv, name="csv"),
    path("allocation/funds/", allocation_views.create_funds, name="create_funds"),
]
