"""One event loop per worker process, so pooled clients survive between chunks.

django-q2 runs tasks one after another in each worker process. Keeping the loop
(and the HTTP clients bound to it) alive means the second chunk of a campaign
reuses the TLS connections the first one opened.
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

_state = threading.local()


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    loop = getattr(_state, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _state.loop = loop
    return loop.run_until_complete(coroutine)
