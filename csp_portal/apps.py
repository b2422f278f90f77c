"""The shared core as a Django app: partnerships, organisations, bodies, people, roles."""

from django.apps import AppConfig


class CspPortalConfig(AppConfig):
    name = "csp_portal"
    verbose_name = "Partnerships and people"
