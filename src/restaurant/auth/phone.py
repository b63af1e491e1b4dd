"""Phone numbers to E.164 with `phonenumbers`, and masked for display."""

from __future__ import annotations

import phonenumbers

NOT_A_PHONE = "That doesn't look like a phone number."
MAX_PHONE_INPUT = 40  # longer than any real number with spaces and punctuation


class InvalidPhone(ValueError):
    """Text that is not a phone number we can send a code to; the message says why."""


def normalise_phone(text: str, region: str = "US") -> str:
    """E.164 ('+12125550123') from what a customer typed; `InvalidPhone` with a clear reason."""
    text = (text or "").strip()
    if not text:
        raise InvalidPhone("Enter a phone number.")
    if len(text) > MAX_PHONE_INPUT:
        raise InvalidPhone("That is too long to be a phone number.")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        reasons = {
            phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: (
                "Add the country code (like +44) to a number from outside "
                f"{region}, or check the one given."
            ),
            phonenumbers.NumberParseException.NOT_A_NUMBER: NOT_A_PHONE,
            phonenumbers.NumberParseException.TOO_SHORT_NSN: "That number is too short.",
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "That number is too short.",
            phonenumbers.NumberParseException.TOO_LONG: "That number is too long.",
        }
        raise InvalidPhone(
            reasons.get(exc.error_type, "That doesn't look like a phone number.")
        ) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhone("That number has the wrong number of digits; include the area code.")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone("That isn't a valid phone number; check the area code and digits.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """All but the country code and the last four digits hidden: '+1******0123'."""
    try:
        country = str(phonenumbers.parse(phone).country_code)
    except phonenumbers.NumberParseException:
        country = ""
    keep = 1 + len(country)
    return phone[:keep] + "*" * max(len(phone) - keep - 4, 0) + phone[-4:]


__all__ = ["InvalidPhone", "mask_phone", "normalise_phone"]
