"""Public (no login) pages for published agendas, packs and confirmed minutes."""

from django.urls import path

from meetings import public_views

app_name = "public"

urlpatterns = [
    path("<slug:partnership>/", public_views.partnership_index, name="partnership"),
    path("<slug:partnership>/<slug:body>/", public_views.body_index, name="body"),
    path("<slug:partnership>/<slug:body>/meetings.ics", public_views.ical, name="ical"),
    path("<slug:partnership>/<slug:body>/<str:date>/", public_views.meeting_page, name="meeting"),
    path("<slug:partnership>/<slug:body>/<str:date>/pack.pdf", public_views.pack_pdf, name="pack"),
    path(
        "<slug:partnership>/<slug:body>/<str:date>/minutes.pdf",
        public_views.minutes_pdf,
        name="minutes",
    ),
]
