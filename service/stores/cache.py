"""ResultCache: serialized query results, least recently used first out, within a budget of bytes.

Keys carry the store's version, so an entry is never served once any write has happened; entries of
old versions simply age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from service.stores.base import SparqlResult


class ResultCache:
    """Thread-safe LRU of SparqlResults holding at most `max_bytes` of content; 0 disables it.

    >>> cache = ResultCache(max_bytes=40)
    >>> for key in "abcd":
    ...     cache.put(key, SparqlResult(b"0123456789", "text/csv"))
    >>> cache.get("a").content
    b'0123456789'
    >>> cache.put("e", SparqlResult(b"0123456789", "text/csv"))  # over budget: "b", least recently used, goes
    >>> cache.get("b") is None, cache.get("a") is not None, cache.size
    (True, True, 40)
    """

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, SparqlResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SparqlResult | None:
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, key: Hashable, result: SparqlResult) -> None:
        weight = len(result.content)
        if weight > self.max_bytes // 4:
            return  # one large result would push out many small ones; it is cheap to write anyway
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.size -= len(previous.content)
            self._entries[key] = result
            self.size += weight
            while self.size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted.content)
