"""URLs of the plans app, mounted under /p/<partnership>/plans/."""

from django.urls import path

from plans import content_views, priority_views, views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("all/", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:plan>/", views.plan_detail, name="plan"),
    path("<int:plan>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:plan>/edit/", views.plan_edit, name="edit"),
    path("<int:plan>/strategic-assessment/", views.assessment, name="assessment"),
    path("<int:plan>/themes/new/", content_views.theme_edit, name="theme_create"),
    path("<int:plan>/themes/<int:theme>/edit/", content_views.theme_edit, name="theme_edit"),
    path("<int:plan>/priorities/new/", content_views.priority_edit, name="priority_create"),
    path(
        "<int:plan>/priorities/<int:priority>/edit/",
        content_views.priority_edit,
        name="priority_edit",
    ),
    path("<int:plan>/review/", views.review_start, name="review"),
    path("<int:plan>/adopt/", views.adopt, name="adopt"),
    path("<int:plan>/compare/", views.compare, name="compare"),
    path("priorities/<int:priority>/", priority_views.priority_detail, name="priority"),
    path(
        "priorities/<int:priority>/update/", priority_views.priority_update, name="priority_update"
    ),
    path(
        "priorities/<int:priority>/measures/new/", content_views.measure_edit, name="measure_create"
    ),
    path(
        "priorities/<int:priority>/measures/<int:measure>/edit/",
        content_views.measure_edit,
        name="measure_edit",
    ),
    path("priorities/<int:priority>/actions/new/", content_views.action_edit, name="action_create"),
    path(
        "priorities/<int:priority>/actions/<int:action>/edit/",
        content_views.action_edit,
        name="action_edit",
    ),
    path("reports/<int:report>/", priority_views.report_detail, name="report"),
    path("<str:kind>/<int:pk>/remove/", content_views.remove, name="remove"),
]
