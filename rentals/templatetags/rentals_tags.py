from django import template

register = template.Library()

BAR_MAX_REM = 10


@register.simple_tag
def bar_width(count: int, largest: int) -> str:
    """Width of a usage bar in rem, scaled to the week with the most loans."""
    return f"{BAR_MAX_REM * count / max(largest, 1):.2f}"
