"""URLs of the meetings app, mounted under /p/<partnership>/meetings/."""

from django.urls import path

from meetings import (
    agenda_views,
    attendance_views,
    confirm_views,
    minutes_views,
    pack_views,
    paper_views,
    programme_views,
    report_views,
    views,
)

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("schedule/", views.schedule, name="schedule"),
    path("reports/new/", report_views.report_new, name="report_new"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path(
        "bodies/<slug:slug>/forward-programme/",
        programme_views.forward_programme_entry,
        name="fp_add",
    ),
    path(
        "bodies/<slug:slug>/forward-programme/<int:pk>/",
        programme_views.forward_programme_entry,
        name="fp_edit",
    ),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/details/", views.edit_meeting, name="edit_meeting"),
    path("<int:pk>/items/", agenda_views.add_item, name="add_item"),
    path("<int:pk>/forward-programme/", programme_views.pick, name="fp_pick"),
    path("<int:pk>/attendance/", attendance_views.attendance_sheet, name="attendance"),
    path("<int:pk>/actions/", minutes_views.add_action, name="add_action"),
    path("<int:pk>/declarations/", minutes_views.declare, name="declare"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/confirm/<slug:step>/", confirm_views.confirm_step, name="confirm"),
    path("<int:pk>/amend/", minutes_views.amend, name="amend"),
    path("<int:pk>/pack.pdf", pack_views.pack_pdf, name="pack"),
    path("<int:pk>/minutes.pdf", pack_views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:pk>/", agenda_views.edit_item, name="edit_item"),
    path("items/<int:pk>/move/", agenda_views.move_item, name="move_item"),
    path("items/<int:pk>/remove/", confirm_views.remove_item, name="remove_item"),
    path("items/<int:pk>/papers/", paper_views.add_paper, name="add_paper"),
    path("items/<int:pk>/minute/", minutes_views.minute, name="minute"),
    path("papers/<int:pk>.pdf", paper_views.paper_file, name="paper"),
    path("papers/<int:pk>/replace/", paper_views.replace_paper, name="replace_paper"),
    path("papers/<int:pk>/remove/", paper_views.remove_paper, name="remove_paper"),
    path("actions/<int:pk>/close/", minutes_views.close_action, name="close_action"),
]
