"""URLs of the funding app, mounted under /p/<partnership>/funding/."""

from django.urls import path, re_path

from funding import bid_views, views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("funds/new/", views.fund_edit, name="fund_new"),
    path("funds/<int:pk>/", views.fund_detail, name="fund"),
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("funds/<int:fund_pk>/lines/new/", views.line_edit, name="line_new"),
    path("funds/<int:fund_pk>/lines/<int:pk>/", views.line_edit, name="line_edit"),
    path("funds/<int:fund_pk>/spend/new/", views.spend_new, name="spend_new"),
    path("bids/new/", bid_views.bid_edit, name="bid_new"),
    path("bids/<int:pk>/", bid_views.bid_detail, name="bid"),
    path("bids/<int:pk>/edit/", bid_views.bid_edit, name="bid_edit"),
    path("bids/<int:pk>/step/", bid_views.bid_step, name="bid_step"),
    path("bids/<int:pk>/declare/", bid_views.bid_declare, name="bid_declare"),
    path("bids/<int:pk>/papers/", bid_views.bid_attach, name="bid_attach"),
    path("bids/<int:pk>/papers/<int:attachment_pk>/", bid_views.attachment, name="attachment"),
    path("bids/<int:pk>/returns/<int:return_pk>/", bid_views.return_submit, name="return_submit"),
    path("bids/<int:pk>/evaluation/", bid_views.evaluation_submit, name="evaluation_submit"),
    path("monitoring/", bid_views.monitoring, name="monitoring"),
    path("reports/decisions/", views.decisions_report, name="decisions_report"),
    re_path(r"^reports/grants\.(?P<fmt>csv|json)$", views.grants_export, name="grants_export"),
]
