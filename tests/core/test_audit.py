"""The audit history records who changed what, and shows it in the admin."""

import pytest
from django.urls import reverse

from csp_portal.models import Organisation

pytestmark = pytest.mark.django_db


def test_change_made_in_the_admin_is_recorded_with_its_author(client_for, staff_admin):
    org = Organisation.objects.create(name="Loughborough University")
    url = reverse("admin:csp_portal_organisation_change", args=[org.pk])
    response = client_for(staff_admin).post(
        url,
        {
            "name": "Loughborough University",
            "short_name": "Uni",
            "identifier": "",
            "partnerships": [],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = org.history.latest()
    assert latest.short_name == "Uni"
    assert latest.history_user == staff_admin
    assert latest.history_type == "~"


def test_history_page_is_visible_in_the_admin(client_for, staff_admin):
    org = Organisation.objects.create(name="Probation Service")
    page = client_for(staff_admin).get(
        reverse("admin:csp_portal_organisation_history", args=[org.pk])
    )
    assert page.status_code == 200
    assert "Probation Service" in page.content.decode()
