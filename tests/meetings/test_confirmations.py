"""Confirmation pages before publish, confirming minutes, cancelling and removing an
item; the agenda item's less common steps in a menu."""

from __future__ import annotations

from django.urls import reverse

from meetings.models import MeetingStatus


def _confirm(partnership, meeting, step):
    return reverse("meetings:confirm", args=[partnership.slug, meeting.pk, step])


def test_the_meeting_page_links_to_confirmations_not_straight_to_the_step(
    client_for, clerk, partnership, pack_meeting
):
    page = (
        client_for(clerk)
        .get(reverse("meetings:meeting", args=[partnership.slug, pack_meeting.pk]))
        .content.decode()
    )
    assert f'href="{_confirm(partnership, pack_meeting, "publish")}"' in page
    assert f'href="{_confirm(partnership, pack_meeting, "confirm_previous")}"' in page
    assert f'href="{_confirm(partnership, pack_meeting, "cancelled")}"' in page
    assert 'value="publish"' not in page and 'value="cancelled"' not in page
    assert 'value="remove"' not in page  # removal is behind its own page


def test_publish_confirmation_says_what_will_happen_then_posts_the_step(
    client_for, clerk, partnership, pack_meeting
):
    client = client_for(clerk)
    page = client.get(_confirm(partnership, pack_meeting, "publish")).content.decode()
    assert "When you confirm" in page
    assert "appear on the public site" in page
    assert "exempt item" in page and "stay out of the public pack" in page
    assert (
        f'action="{reverse("meetings:status", args=[partnership.slug, pack_meeting.pk])}"' in page
    )
    assert 'name="step" value="publish"' in page
    assert not pack_meeting.packs.exists()  # the GET changed nothing


def test_cancel_confirmation_then_cancel(client_for, clerk, partnership, pack_meeting):
    client = client_for(clerk)
    page = client.get(_confirm(partnership, pack_meeting, "cancelled")).content.decode()
    assert "never published" in page and 'value="cancelled"' in page
    status = reverse("meetings:status", args=[partnership.slug, pack_meeting.pk])
    assert client.post(status, {"step": "cancelled"}).status_code == 302
    pack_meeting.refresh_from_db()
    assert pack_meeting.status == MeetingStatus.CANCELLED
    refused = client.get(_confirm(partnership, pack_meeting, "cancelled"))
    assert refused.status_code == 409
    assert "cannot be cancelled" in refused.content.decode()


def test_confirm_minutes_confirmation_names_the_meeting_and_the_lock(
    client_for, clerk, partnership, pack_meeting, past_meeting
):
    page = (
        client_for(clerk)
        .get(_confirm(partnership, pack_meeting, "confirm_previous"))
        .content.decode()
    )
    assert "Confirm and sign the minutes of 27 October 2016" in page
    assert "recorded amendment" in page
    assert 'value="confirm_previous"' in page


def test_an_unknown_step_is_not_found(client_for, clerk, partnership, pack_meeting):
    assert client_for(clerk).get(_confirm(partnership, pack_meeting, "explode")).status_code == 404


def test_remove_confirmation_lists_sub_items_and_papers(
    client_for, clerk, partnership, pack_meeting
):
    updates = pack_meeting.items.get(title="Delivery Group Updates")
    url = reverse("meetings:remove_item", args=[partnership.slug, updates.pk])
    client = client_for(clerk)
    page = client.get(url).content.decode()
    assert "Its 2 sub-items (Strategic Group, JAG Delivery Group) go with it." in page
    assert "2 attached papers are removed with it." in page
    assert 'name="move" value="remove"' in page
    assert pack_meeting.items.filter(pk=updates.pk).exists()
    move = reverse("meetings:move_item", args=[partnership.slug, updates.pk])
    assert client.post(move, {"move": "remove"}).status_code == 302
    assert not pack_meeting.items.filter(pk=updates.pk).exists()


def test_a_minuted_item_is_refused_on_its_confirmation_page(
    client_for, clerk, partnership, past_meeting
):
    apologies = past_meeting.items.get(kind="apologies")
    response = client_for(clerk).get(
        reverse("meetings:remove_item", args=[partnership.slug, apologies.pk])
    )
    assert response.status_code == 409
    assert "has minutes, so it cannot be removed" in response.content.decode()


def test_less_common_steps_are_in_one_menu_per_item(client_for, clerk, partnership, pack_meeting):
    page = (
        client_for(clerk)
        .get(reverse("meetings:meeting", args=[partnership.slug, pack_meeting.pk]))
        .content.decode()
    )
    items = pack_meeting.items.count()
    assert page.count('<details class="disclosure-menu') == items
    assert page.count('>More<span class="visually-hidden"> actions for item') == items
    assert "js/disclosure-menu.js" in page


def test_declare_from_the_menu_opens_the_form_for_that_item(
    client_for, clerk, partnership, past_meeting
):
    apologies = past_meeting.items.get(kind="apologies")
    url = reverse("meetings:meeting", args=[partnership.slug, past_meeting.pk])
    page = client_for(clerk).get(url, {"declare": apologies.pk}).content.decode()
    assert '<details id="declare" open>' in page
    assert f'<option value="{apologies.pk}" selected>' in page
