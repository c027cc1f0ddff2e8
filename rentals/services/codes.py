"""PINs and QR tokens: random, unguessable, never derived from ids.

PINs are stored as a keyed hash (HMAC-SHA256 with a key derived from
``SECRET_KEY``, see ``django.utils.crypto.salted_hmac``). Keyed rather than
salted so that "is this PIN already in use at this compartment" is a single
equality query; without the key, the hash of a 6-digit PIN cannot be brute
forced offline.
"""

import secrets

from django.utils.crypto import salted_hmac

PIN_DIGITS = 6
QR_TOKEN_BYTES = 32
_HASH_SALT = "rentals.pin"


def pin_generate() -> str:
    """Six random digits from the operating system's CSPRNG (leading zeros allowed)."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def pin_hash(*, pin: str) -> str:
    return salted_hmac(_HASH_SALT, pin, algorithm="sha256").hexdigest()


def pin_matches(*, pin: str, hashed: str) -> bool:
    return bool(hashed) and secrets.compare_digest(pin_hash(pin=pin), hashed)


def qr_token_generate() -> str:
    """256 random bits, URL-safe: the QR code's link is a bearer ticket for one reservation."""
    return secrets.token_urlsafe(QR_TOKEN_BYTES)
