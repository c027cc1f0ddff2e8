from django import template

from locker_bridge.reasons import reason_display

register = template.Library()


@register.filter
def locker_reason(reason: str) -> str:
    """A controller's or the bridge's English reason in the staff's language."""
    return reason_display(reason or "")
