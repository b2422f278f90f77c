"""The portal's URLs. Each app lives under /p/<partnership>/<app>/; public pages
(no login) under /public/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from csp_portal import job_views, views
from csp_portal.forms import QueuedPasswordResetForm

partnership_apps = [
    path("performance/", include("performance.urls")),
    path("funding/", include("funding.urls")),
    path("meetings/", include("meetings.urls")),
    path("plans/", include("plans.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job"),
    path("jobs/<uuid:pk>/status", job_views.job_status, name="job_status"),
    # Django's reset page, its e-mail sent by the worker (csp_portal.mail).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("p/<slug:partnership>/", views.partnership_detail, name="partnership"),
    path("p/<slug:partnership>/", include(partnership_apps)),
    path("public/", include("meetings.public_urls")),
]

admin.site.site_header = "CSP portal administration"
admin.site.site_title = "CSP portal admin"
admin.site.index_title = "Reference data"
