"""Exempt information: the descriptions in Part 1 of Schedule 12A to the Local Government
Act 1972, and the wording agendas and minutes use when they cite them.

The paragraphs are the statutory text as substituted by the Local Government (Access to
Information) (Variation) Order 2006 (SI 2006/88), from
https://www.legislation.gov.uk/ukpga/1972/70/schedule/12A (Part 1, paragraphs 1–7).
An item marked exempt cites one of them (`AgendaItem.exempt_paragraph`) and the public
interest reason (`AgendaItem.exempt_reason`); which readers see it is decided in
`meetings/access.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE = "https://www.legislation.gov.uk/ukpga/1972/70/schedule/12A"

#: Part 1 of Schedule 12A, paragraph number -> its description of exempt information.
PARAGRAPHS: dict[int, str] = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: (
        "Information relating to the financial or business affairs of any particular person "
        "(including the authority holding that information)."
    ),
    4: (
        "Information relating to any consultations or negotiations, or contemplated "
        "consultations or negotiations, in connection with any labour relations matter "
        "arising between the authority or a Minister of the Crown and employees of, or "
        "office holders under, the authority."
    ),
    5: (
        "Information in respect of which a claim to legal professional privilege could be "
        "maintained in legal proceedings."
    ),
    6: (
        "Information which reveals that the authority proposes (a) to give under any "
        "enactment a notice under or by virtue of which requirements are imposed on a "
        "person; or (b) to make an order or direction under any enactment."
    ),
    7: (
        "Information relating to any action taken or to be taken in connection with the "
        "prevention, investigation or prosecution of crime."
    ),
}

#: Choices for a model or form field: (1, "1. Information relating to any individual.") …
CHOICES: list[tuple[int, str]] = [(n, f"{n}. {text}") for n, text in PARAGRAPHS.items()]

ACT = "Part 1 of Schedule 12A to the Local Government Act 1972"
EXCLUSION_TITLE = "Exclusion of the press and public"


def _paragraph_list(paragraphs: Iterable[int]) -> str:
    numbers = sorted(set(paragraphs))
    words = [str(n) for n in numbers]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"paragraph{'s' if len(numbers) > 1 else ''} {joined}"


def notice(paragraph: int | None) -> str:
    """What the public versions print in place of an exempt item's content."""
    if paragraph is None:  # a paper marked exempt on its own, under an open item
        return f"Not for publication: exempt information under {ACT}."
    return f"Not for publication by virtue of paragraph {paragraph} of {ACT}."


def exclusion_resolution(paragraphs: Iterable[int], items: int) -> str:
    """The resolution the agenda proposes before the first exempt item (the wording
    councils use under section 100A(4) of the Act)."""
    business = "item of business" if items == 1 else "items of business"
    pronoun = "it involves" if items == 1 else "they involve"
    return (
        "To consider passing the following resolution: that under section 100A(4) of the "
        "Local Government Act 1972 the press and public be excluded from the meeting for "
        f"the following {business} on the grounds that {pronoun} the likely disclosure of "
        f"exempt information as defined in {_paragraph_list(paragraphs)} of {ACT}, and "
        "that in all the circumstances the public interest in maintaining the exemption "
        "outweighs the public interest in disclosing the information."
    )
