"""pyHanko signs and validates with coroutines; its synchronous wrappers call asyncio.run, which refuses
to start where the thread already runs an event loop (an ASGI server, a browser driven through
Playwright's sync API in the same process). `run_coroutine` is the one way this package runs them."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run `coroutine` to completion: here if no event loop is running, else in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
