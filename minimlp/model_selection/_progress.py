"""Progress of a running search on stderr (``verbose >= 1``)."""

from __future__ import annotations

import math
import sys
import time
from typing import Any, TextIO


def _fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "?"
    if s < 60:
        return f"{s:.1f}s"
    s = int(round(s))
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


class Progress:
    """Counts finished fits and reports them.

    ``verbose=1``: done/total, elapsed time, ETA and the best mean test score so far (among
    candidates whose folds are all done), on one line rewritten with ``\\r`` when ``stream`` is a
    terminal, else as a new line every ~5 % of the fits. ``verbose>=2``: also one line per fit.

    Parameters
    ----------
    total : int
        Number of fits in the search (resumed ones included).
    n_splits : int
        Folds per candidate.
    verbose : int
        Verbosity level; 0 reports nothing.
    stream : file-like, default=sys.stderr
    """

    def __init__(self, total: int, n_splits: int, verbose: int, stream: TextIO | None = None):
        self.total, self.n_splits, self.verbose = total, n_splits, verbose
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.time()
        self.done = self.n_run = 0
        self._folds: dict[int, list[float]] = {}
        self.best = math.nan
        self._step = max(1, math.ceil(total / 20))

    def update(self, candidate: int, params: dict[str, Any], split: int, score: float | None,
               resumed: bool = False) -> None:
        """Record one finished fit; ``score`` is its test score on the selection metric."""
        self.done += 1
        self.n_run += not resumed
        folds = self._folds.setdefault(candidate, [])
        folds.append(math.nan if score is None else score)
        if len(folds) == self.n_splits:
            mean = sum(folds) / len(folds)
            if math.isfinite(mean) and not mean <= self.best:
                self.best = mean
        if not self.verbose or resumed:
            return
        if self.verbose >= 2:
            shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
            if self.tty:
                self.stream.write("\r\x1b[K")  # clear the status line before printing over it
            print(f"[CV {split + 1}/{self.n_splits}] END {shown}; score={score:.3f}"
                  if score is not None else f"[CV {split + 1}/{self.n_splits}] END {shown}; failed",
                  file=self.stream)
        if self.tty:
            self.stream.write("\r" + self._status())
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done % self._step == 0 or self.done == self.total:
            print(self._status(), file=self.stream, flush=True)

    def report(self) -> None:
        """Print the status line now (e.g. after resuming tasks from a journal)."""
        if self.verbose:
            print(self._status(), file=self.stream, flush=True)

    def _status(self) -> str:
        elapsed = time.time() - self.start
        left = self.total - self.done
        eta = elapsed / self.n_run * left if self.n_run else math.inf
        best = f"{self.best:.4f}" if math.isfinite(self.best) else "-"
        resumed = f" ({self.done - self.n_run} resumed)" if self.done > self.n_run else ""
        return (f"[search] {self.done}/{self.total} fits done{resumed}, "
                f"elapsed {_fmt_seconds(elapsed)}, ETA {_fmt_seconds(eta if left else 0.0)}, "
                f"best mean test score {best}")
