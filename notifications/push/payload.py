"""The push payload: title, text, URL and topic only, never personal data.

Web Push allows 4096 bytes per encrypted record (RFC 8291 section 4); the
aes128gcm header (86 bytes), the padding delimiter and the tag take 103, so the
JSON we encrypt stays at or under 3993 bytes. FCM and APNs allow 4 KB too.
"""

import json

MAX_PAYLOAD_BYTES = 3993
ALLOWED_KEYS = ("title", "text", "url", "topic")


def payload_build(*, title: str, text: str, url: str, topic: str) -> dict:
    """A payload that fits: the text is shortened first, then the title."""
    payload = {"title": title, "text": text, "url": url, "topic": topic}
    for key in ("text", "title"):
        while len(payload_encode(payload)) > MAX_PAYLOAD_BYTES and payload[key]:
            overflow = len(payload_encode(payload)) - MAX_PAYLOAD_BYTES
            payload[key] = payload[key][: max(0, len(payload[key]) - max(overflow, 1) - 1)] + "…"
            if len(payload[key]) <= 1:
                payload[key] = ""
    return payload


def payload_encode(payload: dict) -> bytes:
    return json.dumps({key: payload[key] for key in ALLOWED_KEYS}, ensure_ascii=False, separators=(",", ":")).encode()
