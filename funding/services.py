"""Writes of the funding app other than the bid process (which is `funding.workflow`):
funds, budget lines, spend, bids' contents and their PDF attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from csp_portal.upload_checks import check_pdf_upload
from funding import access, lifecycle
from funding.models import Bid, BidAttachment, BidState, BudgetLine, Fund, SpendEntry
from funding.money import money

#: A bid's contents change only while the applicant holds it (a draft, a revision):
#: the states its applicant's steps start from, in the life cycle's table.
EDITABLE_STATES = lifecycle.states_of(lifecycle.Actor.APPLICANT)
#: Papers can be added until the Delivery Group has decided.
PAPER_STATES = lifecycle.states_before(lifecycle.Actor.DELIVERY_GROUP)


class StaleBid(Exception):
    """Someone saved the bid after this person opened it: their save would undo it."""

    def __init__(self, current: Bid, expected: int) -> None:
        super().__init__(
            f"“{current.title}” was changed by someone else after you opened it "
            f"(version {current.version} is saved, you started from version {expected})."
        )
        self.current = current
        self.expected = expected


@transaction.atomic
def attach(*, bid: Bid, upload: UploadedFile, by) -> BidAttachment:
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if not access.is_applicant_side(by, bid):
        raise ValidationError("Only the applicant's organisation may add papers.")
    if bid.state not in PAPER_STATES:
        raise ValidationError("Papers can be added until the Delivery Group has decided.")
    check_pdf_upload(upload)
    return BidAttachment.objects.create(
        bid=bid,
        file=upload,
        original_name=(upload.name or "paper.pdf")[:255],
        size=upload.size or 0,
        uploaded_by=by,
    )


@transaction.atomic
def save_bid(*, bid: Bid, by, version: int | None = None) -> Bid:
    """Save a new bid (made by `by` for their organisation) or changes to one the
    applicant may still edit.

    `version` is the version the person started from (the form carries it): when
    someone saved the bid since, `StaleBid` is raised and nothing is saved. Changes to an
    existing bid must give it."""
    if bid.pk:
        current = Bid.objects.select_for_update().get(pk=bid.pk)
        if not access.is_applicant_side(by, current):
            raise ValidationError("Only the applicant's organisation may change a bid.")
        if current.state not in EDITABLE_STATES:
            raise ValidationError(
                f"“{current.title}” is {current.get_state_display().lower()}: "
                "it can be changed only as a draft or when a revision is asked for."
            )
        if version is None:
            raise ValidationError("Say which version of the bid the changes were made to.")
        if version != current.version:
            raise StaleBid(current, version)
        bid.version = current.version + 1
        bid.state, bid.round = current.state, current.round
    else:
        organisation_id = access.organisation_id(by)
        if organisation_id is None:
            raise ValidationError("Your profile has no organisation: ask the admin to set it.")
        bid.applicant, bid.applicant_organisation_id = by, organisation_id
        bid.version = 1
    bid.full_clean()
    bid.save()
    return bid


def line_figures(line: BudgetLine) -> dict[str, Decimal]:
    committed = line.bids.filter(state=BidState.APPROVED).aggregate(s=Sum("amount_awarded"))[
        "s"
    ] or Decimal("0")
    spent = line.spend.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return {"allocated": line.allocated, "committed": committed, "spent": spent}


@transaction.atomic
def save_fund(*, fund: Fund) -> Fund:
    """Save a new fund or changes to one; its total may not fall below what its lines
    already allocate (the lines' money would then exceed the fund's)."""
    if fund.pk:
        allocated = BudgetLine.objects.filter(fund_id=fund.pk).aggregate(s=Sum("allocated"))["s"]
        if allocated is not None and fund.total < allocated:
            raise ValidationError(
                {
                    "total": f"The lines already allocate {money(allocated)}: the total "
                    "cannot be less than that."
                }
            )
    fund.full_clean()
    fund.save()
    return fund


@transaction.atomic
def save_budget_line(*, line: BudgetLine) -> BudgetLine:
    """Refuse an allocation below what is already committed, or beyond the fund's total."""
    fund = Fund.objects.select_for_update().get(pk=line.fund_id)
    others = fund.lines.exclude(pk=line.pk).aggregate(s=Sum("allocated"))["s"] or Decimal("0")
    if others + line.allocated > fund.total:
        raise ValidationError(
            {
                "allocated": f"The fund's lines would total {money(others + line.allocated)}, "
                f"more than its {money(fund.total)}: {money(fund.total - others)} is left "
                "to allocate."
            }
        )
    if line.pk:
        committed = line_figures(line)["committed"]
        if line.allocated < committed:
            raise ValidationError(
                {
                    "allocated": f"{money(committed)} is already committed to approved bids "
                    "on this line; allocate at least that."
                }
            )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def record_spend(
    *,
    line: BudgetLine,
    date: dt.date,
    amount: Decimal,
    reference: str,
    by,
    bid: Bid | None = None,
    note: str = "",
) -> SpendEntry:
    if bid is not None and (bid.budget_line_id != line.pk or bid.state != BidState.APPROVED):
        raise ValidationError({"bid": "Spend against a bid must be on its approved line."})
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    figures = line_figures(line)
    left = figures["allocated"] - figures["spent"]
    if amount is not None and amount > left:
        raise ValidationError(
            {
                "amount": f"{money(amount)} is more than remains on “{line.description}”: "
                f"{money(figures['allocated'])} allocated, {money(figures['spent'])} spent, "
                f"{money(left)} remaining."
            }
        )
    entry = SpendEntry(
        budget_line=line,
        bid=bid,
        date=date,
        amount=amount,
        reference=reference,
        note=note,
        recorded_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry
