"""``Bunch``: the dict-with-attributes that datasets and ``Pipeline.named_steps`` return."""

from __future__ import annotations

from typing import Any


class Bunch(dict):
    """A ``dict`` whose keys are also attributes (``b.X`` is ``b["X"]``)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value
