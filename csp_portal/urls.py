"""The portal's URLs. Each app lives under /p/<partnership>/<app>/; public pages
(no login) under /public/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from csp_portal import idle_timeout, job_views, password_reset, two_factor, views
from csp_portal.forms import QueuedPasswordResetForm

partnership_apps = [
    path("performance/", include("performance.urls")),
    path("funding/", include("funding.urls")),
    path("meetings/", include("meetings.urls")),
    path("plans/", include("plans.urls")),
]

# The admin signs in through the portal's own sign-in page (password and second factor),
# never through a form of its own that would ask for the password alone.
admin.site.login = two_factor.admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Sign-in with the second factor and a throttled reset (its e-mail sent by the
    # worker, csp_portal.mail), ahead of Django's own.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=two_factor.SignInForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        password_reset.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/two-factor/", two_factor.setup, name="two_factor"),
    path("accounts/keep-alive/", idle_timeout.keep_alive, name="keep_alive"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job"),
    path("jobs/<uuid:pk>/status", job_views.job_status, name="job_status"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("p/<slug:partnership>/", views.partnership_detail, name="partnership"),
    path("p/<slug:partnership>/", include(partnership_apps)),
    # The county tier's pages (all the county's partnerships at once).
    path("county/<slug:county>/performance/", include("performance.county_urls")),
    path("public/", include("meetings.public_urls")),
    # County pages (a csp_portal.County and its partnerships).
    path("county/<slug:county>/agreement/", include("plans.agreement_urls")),
    path("county/<slug:county>/funding/", include("funding.allocation_urls")),
]

admin.site.site_header = "CSP portal administration"
admin.site.site_title = "CSP portal admin"
admin.site.index_title = "Reference data"
