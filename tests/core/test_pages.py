"""The shared pages render accessibly: a title, one h1, a skip link, labelled forms."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_has_skip_link_title_and_single_h1(client_for, board_member):
    page = client_for(board_member).get(reverse("home")).content.decode()
    assert 'href="#main"' in page and 'id="main"' in page
    assert re.search(r"<title>Home – CSP portal</title>", page)
    assert page.count("<h1") == 1
    assert 'lang="en-GB"' in page


def test_login_fields_have_labels(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<label[^>]*for="id_username"', page)
    assert re.search(r'<label[^>]*for="id_password"', page)


def test_an_empty_sign_in_marks_each_field_and_says_why(client):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    for name in ("username", "password"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)[0]
        assert "is-invalid" in field and 'aria-invalid="true"' in field
        assert f'aria-describedby="id_{name}_error"' in field
        error = re.search(rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', page)
        assert "This field is required." in error[1]


def test_a_failed_sign_in_keeps_the_username_and_not_the_password(client, partner):
    page = client.post(
        reverse("login"), {"username": "partner", "password": "not-it"}
    ).content.decode()
    assert re.search(r'<input type="text" name="username" value="partner"', page)
    assert "not-it" not in page
    assert '<div class="alert alert-block alert-danger">' in page


def test_assets_are_served_locally_never_from_a_cdn(client):
    page = client.get(reverse("login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_security_headers_are_set(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_health_check_is_public(client):
    assert client.get("/healthz").content == b"ok"
