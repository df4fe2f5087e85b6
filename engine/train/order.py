"""The order of the rows within an epoch: a name, or a list of row indices.

The file stores 0-based indices (docs/file-format.md), and so does the command line; the window numbers
the dataset's rows from 1 (the dataset editor's row headers), so the training panel reads a typed order
with ``base=1``. :func:`parse_order` is the one reader of a typed order, whatever the base: it returns
0-based indices, and refuses a bad entry with a one-line message that names the entry and the valid
range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from engine.train.errors import TrainingError

ORDERS = ("sequential", "reverse", "shuffle")


def _span(rows: int | None, base: int) -> str:
    """The valid row numbers, as the user counts them."""
    counted = "0-based" if base == 0 else f"counted from {base}"
    if rows is None:
        return f"{counted}: ≥ {base}"
    return f"{counted}: {base} … {base + rows - 1}"


def _refuse(text: str) -> TrainingError:
    return TrainingError(f"training 'order': {text}", "order")


def check_rows(indices: Sequence[int], rows: int, base: int = 0) -> None:
    """Refuse the first 0-based index outside a dataset of `rows` rows (shown counted from `base`)."""
    bad = next((i for i in indices if not 0 <= i < rows), None)
    if bad is not None:
        count = f"{rows} row" if rows == 1 else f"{rows} rows"
        raise _refuse(f"row {bad + base} is out of range; the dataset has {count} ({_span(rows, base)})")


def parse_order(text: str, *, base: int = 0, rows: int | None = None) -> str | list[int]:
    """A typed order: a name, or row numbers counted from `base`, separated by commas or spaces.

    Returns the name or the 0-based row indices. A bad entry (not a whole number, below `base`, or past
    the last of `rows` rows when given) raises TrainingError naming the entry and the valid range.
    """
    text = text.strip()
    if text in ORDERS:
        return text
    parts = text.replace(",", " ").split()
    if not parts:
        raise _refuse(f"no row numbers given ({_span(rows, base)})")
    indices = []
    for part in parts:
        try:
            number = int(part)
        except ValueError:
            if len(parts) == 1:
                raise _refuse(
                    f"{part!r} is not sequential, reverse, shuffle or a row number ({_span(rows, base)})"
                ) from None
            raise _refuse(f"{part!r} is not a row number ({_span(rows, base)})") from None
        if number < base:
            raise _refuse(f"row {number} is out of range ({_span(rows, base)})")
        indices.append(number - base)
    if rows is not None:
        check_rows(indices, rows, base)
    return indices


def epoch_orders(order: str | tuple[int, ...], rows: int, seed: int) -> Callable[[], np.ndarray]:
    """A source of each epoch's row order (a shuffle draws a new permutation each time, from `seed`)."""
    if isinstance(order, tuple):
        check_rows(order, rows)
        fixed = np.array(order, dtype=np.intp)
    elif order == "shuffle":
        rng = np.random.default_rng(seed)
        return lambda: rng.permutation(rows)
    elif order == "reverse":
        fixed = np.arange(rows - 1, -1, -1)
    else:
        fixed = np.arange(rows)
    return lambda: fixed


def split_rows(rows: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows), each ascending: round(test_fraction · rows) rows drawn at random
    from `seed` are held out (never all of them: one row at least stays for training)."""
    k = min(round(test_fraction * rows), rows - 1) if rows > 1 else 0
    held = np.sort(np.random.default_rng(seed).permutation(rows)[:k])
    return np.setdiff1d(np.arange(rows), held), held
