"""The request's CSP nonce for the inline scripts that Wagtail writes without a request at hand.

Wagtail 8 still puts a few inline ``<script>`` elements into the admin: the date and time
pickers, the choosers and the inline panels start themselves that way (wagtail/wagtail#12940).
Form widgets are rendered without the request, so ``PortalCSPMiddleware`` keeps the request's
nonce here for the length of the request; the template tag ``{% script_nonce %}`` (the
overridden templates in cms/templates/wagtailadmin/) and ``chooser_render_with_nonce`` read it.
Only these known places get the nonce: a script smuggled into content still has none.
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.utils.safestring import mark_safe

current_nonce: ContextVar[object | None] = ContextVar("current_nonce", default=None)


def script_nonce() -> str:
    """The nonce of the request being answered, or "" outside a request."""
    nonce = current_nonce.get()
    return str(nonce) if nonce is not None else ""


def chooser_render_with_nonce(render: Callable) -> Callable:
    """Wraps ``BaseChooser.render``, which ends its HTML with ``<script>new …Chooser(…)</script>``."""

    @wraps(render)
    def wrapper(self, *args, **kwargs):
        html = render(self, *args, **kwargs)
        nonce = script_nonce()
        widget_html, tag, script = str(html).rpartition("<script>")
        if not (nonce and tag):
            return html
        return mark_safe(f'{widget_html}<script nonce="{nonce}">{script}')

    return wrapper
