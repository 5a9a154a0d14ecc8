"""One pass over a window's pages: the first alone, the rest concurrently once `count` is known.

On a closed window read in ascending order the offsets are stable, so once the first page has
given `count` and the page size the server really serves (it may clamp `limit`), the offsets of
every other page are known and can be fetched at once. The pages are then used in offset order
exactly as a sequential walk would use them: the offset moves by the calls a page carried, a
short page's gap is fetched on its own, paging ends on `offset >= count` (the latest count) or
an empty page, and calls added at the end while paging are fetched after the planned pages.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from contactship_pipeline.api.paging import Page, WindowFetch

# Fetch the page at (offset, limit).
PageGetter = Callable[[int, int], Page]
# Fetch the pages at consecutive offsets, all with one limit, one after another.
RunGetter = Callable[[list[int], int], list[Page]]
# Pages fetched ahead go in runs of up to this many, read together (fewer per run in small
# windows, so that every thread still gets several runs).
MAX_RUN = 8


def read_pass(
    get_page: PageGetter, get_run: RunGetter, page_size: int, concurrency: int
) -> tuple[list[Page], WindowFetch]:
    """Every page of one pass over a window, in offset order, and the fetch's counters.

    Args:
        get_page: fetches one page.
        get_run: fetches a run of pages; called from up to `concurrency` threads at once.
        page_size: the `limit` asked for.
        concurrency: how many requests may be in flight; 1 pages strictly one after another.
    """
    fetch = WindowFetch()
    first = get_page(0, page_size)
    fetch.note(first)
    pages = [first]
    step, count = first.size, first.count
    if concurrency < 2 or count is None or step == 0 or step >= count:
        _walk(get_page, page_size, pages, fetch, {})
        return pages, fetch
    planned = list(range(step, count, step))
    size = max(1, min(MAX_RUN, len(planned) // (4 * concurrency)))
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="contactship-page")
    ahead: dict[int, tuple[Future, int]] = {}
    try:
        for start in range(0, len(planned), size):
            run = planned[start : start + size]
            future = pool.submit(get_run, run, page_size)
            ahead.update({offset: (future, index) for index, offset in enumerate(run)})
        _walk(get_page, page_size, pages, fetch, ahead)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    _count_unused(ahead.values(), fetch)
    return pages, fetch


def _walk(
    get_page: PageGetter,
    page_size: int,
    pages: list[Page],
    fetch: WindowFetch,
    ahead: dict[int, tuple[Future, int]],
) -> None:
    """Move through the window by the calls received, using pages fetched ahead where they fit."""
    page = pages[-1]
    offset = page.size
    seen: set[str] = set()
    while page.size and (page.count is None or offset < page.count):
        if page.count is None and _nothing_new(page, seen):
            break  # no count to stop at, and nothing new: the server repeats itself
        planned = ahead.pop(offset, None)
        if planned is not None:
            future, index = planned
            page = future.result()[index]
        else:
            # A short page left a gap before the next page fetched ahead: fill just the gap.
            later = [planned for planned in ahead if planned > offset]
            page = get_page(offset, min([page_size, *(planned - offset for planned in later)]))
        fetch.note(page)
        pages.append(page)
        offset += page.size


def _nothing_new(page: Page, seen: set[str]) -> bool:
    """Whether a page brought only calls already seen (calls without an id are always new)."""
    ids = page.call_ids()
    repeated = len(ids) == page.size and seen.issuperset(ids)
    seen.update(ids)
    return repeated


def _count_unused(unused, fetch: WindowFetch) -> None:
    """Requests fetched ahead that paging did not use still count as requests made."""
    for future, index in unused:
        if future.done() and not future.cancelled() and future.exception() is None:
            fetch.requests += 1
            fetch.retries += future.result()[index].attempts - 1
