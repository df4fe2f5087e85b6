"""The command line's error messages in the user's language.

The messages are made where the error is found, mostly in ``graph/``, which may not import the engine
(so not this catalogue) and says them in English. Each frequent one is listed here as a pattern, the
English text with its variable parts as {placeholders}; :func:`translate_error` matches a message
against the patterns and fills the translation (context "error" in the catalogue) with the parts it
found. A message without a pattern stays English. To translate one more: add its pattern here and
its translation to each ``engine.po``.
"""

from __future__ import annotations

import re
from functools import cache

from engine.i18n import current, pgettext

PATTERNS = (
    "{where}: No such file or directory",
    "{where}: Permission denied",
    "{where}: Is a directory",
    "{where}: not valid JSON: {detail} (column {column})",
    "{where}: not UTF-8 text (byte {byte})",
    "{where}: the file must hold a JSON object",
    '{where}: "format" must be "backprop-studio-graph", got {got}',
    "{where}: unknown version {version}",
    '{where}: "nodes" must be a list',
    '{where}: "edges" must be a list',
    "{where}: node {node}: unknown op {op}",
    "{where}: dataset column {name} has {rows} rows, the others {others}",
    "node {node}: unknown op {op}",
    "node {node} ({op}): input port {port} is not connected",
    "{where}: input port {port} is not connected",
    "the graph has a cycle: {loop}",
    "edge {edge} would close a cycle: {loop}",
    "no node {node}",
)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", pattern)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)))


def translate_error(message: str) -> str:
    """`message` in the current language when it matches a pattern, else as it is."""
    if current() == "en":
        return message
    for pattern in PATTERNS:
        found = _regex(pattern).fullmatch(message)
        if found:
            return pgettext("error", pattern).format(**found.groupdict())
    return message
