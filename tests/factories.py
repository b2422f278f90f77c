"""factory_boy factories for the shared core. Apps add their own in tests/<app>/factories.py."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from csp_portal.models import Body, BodyType, Organisation, Partnership, Profile, Role
from csp_portal.services import grant_roles

PASSWORD = "correct-horse-battery"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Testshire CSP {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    ons_code = factory.Sequence(lambda n: f"E22{900000 + n:06d}")
    local_authority = factory.LazyAttribute(lambda o: o.name.replace("CSP", "Council"))
    bid_approval_threshold = Decimal("1000.00")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partner Agency {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Delivery Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    body_type = BodyType.DELIVERY_GROUP


def member(partnership: Partnership, *roles: str, username: str | None = None, **fields):
    """A user holding `roles` in `partnership`, with a profile."""
    user = UserFactory(**({"username": username} if username else {}), **fields)
    Profile.objects.get_or_create(user=user)
    grant_roles(user=user, partnership=partnership, roles=list(roles) or [Role.PARTNER])
    return user
