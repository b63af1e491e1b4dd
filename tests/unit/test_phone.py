"""Phone numbers normalise to E.164 with clear reasons for what is not a number."""

from __future__ import annotations

import pytest

from restaurant.auth.phone import InvalidPhone, mask_phone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("(212) 555-0123", "+12125550123"),
        ("212.555.0123", "+12125550123"),
        ("1 212 555 0123", "+12125550123"),
        ("+1 (212) 555-0123", "+12125550123"),
        ("  +44 20 7946 0958 ", "+442079460958"),
        ("+49 30 901820", "+4930901820"),
    ],
)
def test_phone_normalises_to_e164(typed: str, e164: str) -> None:
    assert normalise_phone(typed) == e164


def test_phone_default_region_reads_national_numbers() -> None:
    assert normalise_phone("020 7946 0958", "GB") == "+442079460958"
    # Without a country code, a US-shaped number is read as British and refused there.
    with pytest.raises(InvalidPhone):
        normalise_phone("(212) 555-0123", "GB")
    assert normalise_phone("+1 (212) 555-0123", "GB") == "+12125550123"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "Enter a phone number"),
        ("call me", "doesn't look like a phone number"),
        ("12345", "wrong number of digits"),
        ("+1 555 010 2030", "isn't a valid phone number"),  # no such area code
        ("+999 1234 5678", "country code"),
        ("1" * 41, "too long"),
        ("+1 212 555 0123 4567 89", "wrong number of digits"),
    ],
)
def test_phone_refuses_with_a_clear_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidPhone, match=reason):
        normalise_phone(typed)


def test_phone_mask_keeps_country_code_and_last_four() -> None:
    assert mask_phone("+12125550123") == "+1******0123"
    assert mask_phone("+442079460958") == "+44******0958"
