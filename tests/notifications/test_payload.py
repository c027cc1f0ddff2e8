import json

from notifications.push.payload import MAX_PAYLOAD_BYTES, payload_build, payload_encode


def test_payload_carries_only_title_text_url_and_topic():
    payload = payload_build(title="Sperrung", text="Ab Montag.", url="https://go.norderstedt.de/x/", topic="verkehr")
    assert set(json.loads(payload_encode(payload))) == {"title", "text", "url", "topic"}


def test_long_payload_is_shortened_under_4_kb():
    payload = payload_build(title="T" * 5000, text="ä" * 5000, url="https://go.norderstedt.de/x/", topic="verkehr")
    encoded = payload_encode(payload)
    assert len(encoded) <= MAX_PAYLOAD_BYTES
    assert payload["url"] == "https://go.norderstedt.de/x/"
    assert json.loads(encoded)["topic"] == "verkehr"
