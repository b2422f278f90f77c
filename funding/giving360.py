"""Awarded grants in the 360Giving Data Standard, as CSV (its column titles) and JSON.

Identifiers are `<prefix>-<bid id>`, the prefix being the fund's 360Giving prefix or
`360G-<partnership slug>` until the partnership registers one. An organisation with no
org-id identifier gets one under the same prefix, as the standard's guidance allows.
"""

from __future__ import annotations

import io
import json

from django.utils import timezone

from csp_portal import exports
from csp_portal.models import Partnership
from funding.models import Bid, BidState

CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
]


def _prefix(bid: Bid) -> str:
    return bid.fund.grant_identifier_prefix or f"360G-{bid.fund.partnership.slug}"


def grants(partnership: Partnership) -> list[dict]:
    """One dict per awarded grant, keyed by the CSV column titles."""
    bids = (
        Bid.objects.filter(fund__partnership=partnership, state=BidState.APPROVED)
        .select_related("fund__partnership", "applicant_organisation")
        .order_by("decided_at", "pk")
    )
    rows = []
    for bid in bids:
        prefix = _prefix(bid)
        org = bid.applicant_organisation
        rows.append(
            {
                "Identifier": f"{prefix}-{bid.pk}",
                "Title": bid.title,
                "Description": bid.description,
                "Currency": "GBP",
                "Amount Awarded": bid.amount_awarded,
                "Award Date": timezone.localtime(bid.decided_at).date().isoformat(),
                "Recipient Org:Identifier": org.identifier or f"{prefix}-ORG-{org.pk}",
                "Recipient Org:Name": org.name,
                "Funding Org:Identifier": f"{prefix}-ORG-{partnership.ons_code}",
                "Funding Org:Name": partnership.name,
                "Grant Programme:Title": str(bid.fund),
            }
        )
    return rows


def as_csv(partnership: Partnership) -> str:
    out = io.StringIO()
    writer = exports.CsvDictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in grants(partnership):
        writer.writerow({**row, "Amount Awarded": f"{row['Amount Awarded']:.2f}"})
    return out.getvalue()


def as_json(partnership: Partnership) -> str:
    data = {
        "grants": [
            {
                "id": row["Identifier"],
                "title": row["Title"],
                "description": row["Description"],
                "currency": row["Currency"],
                # A JSON number, as the schema requires; two-decimal amounts round-trip.
                "amountAwarded": float(row["Amount Awarded"]),
                "awardDate": row["Award Date"],
                "recipientOrganization": [
                    {"id": row["Recipient Org:Identifier"], "name": row["Recipient Org:Name"]}
                ],
                "fundingOrganization": [
                    {"id": row["Funding Org:Identifier"], "name": row["Funding Org:Name"]}
                ],
                "grantProgramme": [{"title": row["Grant Programme:Title"]}],
            }
            for row in grants(partnership)
        ]
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
