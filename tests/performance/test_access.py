"""Who may read and who may change figures; another partnership is out of reach."""

import pytest

from csp_portal.models import Role
from performance.models import QuarterlyFigure

pytestmark = pytest.mark.django_db

READ_PAGES = ["", "trend/", "beats/", "family/", "rates/", "?format=csv"]
EDIT_PAGES = [
    "enter/2022/q2/",
    "enter/2022/q2/history/",
    "upload/",
    "policeuk/",
    "lsoa/",
    "targets/",
    "family/figures/",
]
EDITORS = {Role.PERFORMANCE_OFFICER, Role.ADMIN}


@pytest.mark.parametrize("page", READ_PAGES)
def test_every_role_reads_the_dashboards(client_for, role_users, categories, page):
    for role, user in role_users.items():
        response = client_for(user).get(f"/p/charnwood/performance/{page}")
        assert response.status_code == 200, (role, page)


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_only_officers_and_admins_reach_the_editing_pages(client_for, role_users, categories, page):
    for role, user in role_users.items():
        response = client_for(user).get(f"/p/charnwood/performance/{page}")
        assert response.status_code == (200 if role in EDITORS else 403), (role, page)


def test_readers_cannot_save_figures(client_for, role_users, categories):
    field = f"c{categories['ALL'].pk}_total"
    for role in (Role.BOARD_MEMBER, Role.CLERK, Role.PARTNER):
        response = client_for(role_users[role]).post(
            "/p/charnwood/performance/enter/2022/q2/", {field: "5"}
        )
        assert response.status_code == 403
        publish = client_for(role_users[role]).post(
            "/p/charnwood/performance/enter/2022/q2/publish/"
        )
        assert publish.status_code == 403
    assert not QuarterlyFigure.objects.exists()


def test_partnership_admin_can_save_figures(client_for, partnership_admin, categories):
    field = f"c{categories['ALL'].pk}_total"
    response = client_for(partnership_admin).post(
        "/p/charnwood/performance/enter/2022/q2/", {field: "5"}
    )
    assert response.status_code == 302
    assert QuarterlyFigure.objects.get().count == 5


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_another_partnerships_member_is_refused(client_for, outsider, categories, page):
    assert client_for(outsider).get(f"/p/charnwood/performance/{page}").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client_for, partnership):
    response = client_for(None).get("/p/charnwood/performance/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_category_of_another_partnership_is_not_shown(
    client_for, officer, other_partnership, categories
):
    from tests.performance.factories import make_categories

    theirs = make_categories(other_partnership)
    response = client_for(officer).get(
        f"/p/charnwood/performance/trend/?category={theirs['ROB'].pk}"
    )
    assert response.context["category"].partnership_id != other_partnership.pk


def test_lsoa_lookup_is_edited_and_uploaded(client_for, officer, partnership, beats):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from performance.models import LsoaBeat

    client = client_for(officer)
    bad = SimpleUploadedFile("lsoa.csv", b"lsoa_code,lsoa_name,beat\nE01025692,Charnwood 001B,99\n")
    response = client.post("/p/charnwood/performance/lsoa/", {"upload": "1", "file": bad})
    assert response.status_code == 400
    assert "Row 2, column “beat”: “99” is not one of our beats." in response.content.decode()
    good = SimpleUploadedFile(
        "lsoa.csv", b"lsoa_code,lsoa_name,beat\nE01025692,Charnwood 001B,62\ne01025693,,Beat 65\n"
    )
    assert (
        client.post("/p/charnwood/performance/lsoa/", {"upload": "1", "file": good}).status_code
        == 302
    )
    assert dict(LsoaBeat.objects.values_list("lsoa_code", "beat__code")) == {
        "E01025692": "62",
        "E01025693": "65",
    }
    row = LsoaBeat.objects.get(lsoa_code="E01025693")
    first = LsoaBeat.objects.get(lsoa_code="E01025692")
    data = {
        "form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk, "form-0-lsoa_code": "E01025692",
        "form-0-lsoa_name": "Charnwood 001B",
        "form-0-beat": beats["62"].pk,
        "form-1-id": row.pk, "form-1-lsoa_code": "E01025693", "form-1-lsoa_name": "Charnwood 001C",
        "form-1-beat": beats["61"].pk,
        "form-2-lsoa_code": "E01025692", "form-2-beat": beats["64"].pk,  # a duplicate: refused
    }  # fmt: skip
    response = client.post("/p/charnwood/performance/lsoa/", data)
    assert response.status_code == 400
    assert LsoaBeat.objects.get(pk=row.pk).beat == beats["65"]
    data["form-2-lsoa_code"] = ""
    data["form-2-beat"] = ""
    assert client.post("/p/charnwood/performance/lsoa/", data).status_code == 302
    assert LsoaBeat.objects.get(pk=row.pk).beat == beats["61"]


@pytest.mark.parametrize("page", READ_PAGES[:-1] + ["enter/", "enter/2022/q2/history/"])
def test_read_only_pages_refuse_a_post(client_for, partnership_admin, categories, page):
    """The dashboards, the grid's starting point and the history change nothing, so they
    answer an unsafe method with 405 instead of drawing the page as if it were a GET."""
    response = client_for(partnership_admin).post(f"/p/charnwood/performance/{page}")
    assert response.status_code == 405, page


@pytest.mark.parametrize("page", EDIT_PAGES[:1] + EDIT_PAGES[2:])
def test_forms_refuse_methods_other_than_get_and_post(client_for, officer, categories, page):
    client = client_for(officer)
    assert client.put(f"/p/charnwood/performance/{page}").status_code == 405, page
    assert client.delete(f"/p/charnwood/performance/{page}").status_code == 405, page
