"""Writes to the shared core: giving people roles and offices."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from csp_portal.models import (
    County,
    CountyMembership,
    CountyRole,
    Membership,
    Partnership,
    Role,
)


def role_group(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=Role(role).value)
    return group


@transaction.atomic
def grant_roles(*, user, partnership: Partnership, roles: list[str]) -> Membership:
    """Make `user` a member of `partnership` holding (at least) `roles`.

    The user also joins the matching Django groups so that model permissions given to
    a group (for the admin) follow the role.
    """
    membership, _ = Membership.objects.get_or_create(user=user, partnership=partnership)
    groups = [role_group(role) for role in roles]
    membership.roles.add(*groups)
    user.groups.add(*groups)
    if hasattr(user, "_csp_memberships"):
        del user._csp_memberships
    return membership


@transaction.atomic
def ensure_county(*, slug: str, name: str, force_name: str, update: bool = False) -> County:
    """The county of that slug, made with its name and force if missing. An existing
    county keeps its name and force unless `update` (the county tier's own template
    names it; a loader that only refers to the county, like the Safer Communities
    Agreement's, leaves it as it is)."""
    fields = {"name": name, "force_name": force_name}
    if update:
        county, _ = County.objects.update_or_create(slug=slug, defaults=fields)
    else:
        county, _ = County.objects.get_or_create(slug=slug, defaults=fields)
    return county


@transaction.atomic
def grant_county_role(*, user, county, role: str) -> CountyMembership:
    """Give `user` a county role (csp_portal.models.CountyRole) on `county`."""
    membership, _ = CountyMembership.objects.get_or_create(
        user=user, county=county, role=CountyRole(role).value
    )
    if hasattr(user, "_csp_county_roles"):
        del user._csp_county_roles
    return membership


@transaction.atomic
def create_partnership(
    *,
    county,
    slug: str,
    name: str,
    ons_code: str,
    local_authorities: list[tuple[str, str]],
    councils: list[str],
    population: int | None = None,
    population_year: str = "2021/22",
    population_source: str = "",
    bodies: list[dict] | None = None,
):
    """A partnership of `county` covering `local_authorities` [(name, ONS code)], with
    its councils as partner organisations, its population and the template's `bodies`
    ([{slug, name, body_type, meeting_frequency}]). Idempotent by slug: a second run
    updates the same records. The performance template (categories, police.uk mapping,
    LSOAs) is performance.county_template's."""
    from django.core.exceptions import ValidationError

    from csp_portal.financial_year import FinancialYear
    from csp_portal.models import Body, LocalAuthority, Organisation, PartnershipPopulation

    if not local_authorities:
        raise ValidationError("A partnership covers at least one local authority.")
    known = {la.name: la for la in LocalAuthority.objects.filter(county=county)}
    for la_name, _ in local_authorities:
        owner = known.get(la_name)
        if owner and owner.partnership is not None and owner.partnership.slug != slug:
            raise ValidationError(f"{la_name} is already covered by {owner.partnership}.")
    partnership = Partnership.objects.filter(slug=slug).first() or Partnership(slug=slug)
    partnership.name, partnership.ons_code, partnership.county = name, ons_code, county
    partnership.local_authority = "; ".join(councils)
    partnership.local_authority_code = (
        local_authorities[0][1] if len(local_authorities) == 1 else ""
    )
    partnership.full_clean()
    partnership.save()
    for la_name, code in local_authorities:
        authority = known.get(la_name) or LocalAuthority(county=county, name=la_name)
        authority.ons_code, authority.partnership = code, partnership
        authority.full_clean()
        authority.save()
    for council in councils:
        organisation, _ = Organisation.objects.get_or_create(
            name=council, defaults={"is_responsible_authority": True}
        )
        organisation.partnerships.add(partnership)
    if population:
        PartnershipPopulation.objects.update_or_create(
            partnership=partnership,
            financial_year=FinancialYear.parse(population_year),
            defaults={"population": population, "source": population_source[:200]},
        )
    for spec in bodies or []:
        Body.objects.get_or_create(
            partnership=partnership,
            slug=spec["slug"],
            defaults={
                "name": spec["name"].format(partnership=name),
                "body_type": spec["body_type"],
                "meeting_frequency": spec.get("meeting_frequency", ""),
            },
        )
    return partnership
