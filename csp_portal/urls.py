"""The portal's URLs. Each app lives under /p/<partnership>/<app>/; public pages
(no login) under /public/."""

from django.contrib import admin
from django.urls import include, path

from csp_portal import views

partnership_apps = [
    path("performance/", include("performance.urls")),
    path("funding/", include("funding.urls")),
    path("meetings/", include("meetings.urls")),
    path("plans/", include("plans.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("p/<slug:partnership>/", views.partnership_detail, name="partnership"),
    path("p/<slug:partnership>/", include(partnership_apps)),
    path("public/", include("meetings.public_urls")),
]

admin.site.site_header = "CSP portal administration"
admin.site.site_title = "CSP portal admin"
admin.site.index_title = "Reference data"
