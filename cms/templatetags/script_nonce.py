"""``{% script_nonce %}``: the request's CSP nonce where the template has no request (cms/script_nonce.py)."""

from django import template

from cms.script_nonce import script_nonce as current_script_nonce

register = template.Library()


@register.simple_tag
def script_nonce() -> str:
    return current_script_nonce()
