"""A decision is never edited or deleted once made."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError

from funding.models import Decision

pytestmark = pytest.mark.django_db


def test_saving_a_decision_again_is_refused(cast):
    bid = cast.supported("999.99")
    decision = bid.decisions.get()
    decision.reasons = "Changed afterwards"
    with pytest.raises(ValidationError, match="never changed"):
        decision.save()
    assert Decision.objects.get(pk=decision.pk).reasons == ""


def test_deleting_a_decision_is_refused(cast):
    decision = cast.supported("999.99").decisions.get()
    with pytest.raises(ValidationError, match="never deleted"):
        decision.delete()
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_admin_cannot_change_add_or_delete_decisions(cast, rf, staff_admin):
    decision = cast.supported("999.99").decisions.get()
    admin = site._registry[Decision]
    request = rf.get("/")
    request.user = staff_admin
    assert not admin.has_change_permission(request, decision)
    assert not admin.has_delete_permission(request, decision)
    assert not admin.has_add_permission(request)


def test_the_database_refuses_a_bulk_update_of_decisions(cast):
    from django.db import DatabaseError, transaction

    decision = cast.supported("999.99").decisions.get()
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="Rewritten")
    assert Decision.objects.get(pk=decision.pk).reasons == ""


def test_the_database_refuses_a_bulk_delete_of_transitions(cast):
    from django.db import DatabaseError, transaction

    from funding.models import Transition

    bid = cast.supported("999.99")
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        Transition.objects.filter(bid=bid).delete()
    assert Transition.objects.filter(bid=bid).count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_immutable_tables_and_keeps_their_guard(cast):
    """`manage.py flush` works on SQLite (the quick start) as on PostgreSQL (which
    truncates), and afterwards the triggers guarding decisions are still in place."""
    from django.core.management import call_command
    from django.db import connection

    from funding.models import Transition

    def triggers() -> set[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            else:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            return {name for (name,) in cursor.fetchall() if "funding_" in name}

    cast.supported("999.99")
    guard = triggers()
    assert guard, "the migrations put the immutability triggers in place"
    call_command("flush", interactive=False, verbosity=0)
    assert not Decision.objects.exists()
    assert not Transition.objects.exists()
    assert triggers() == guard
