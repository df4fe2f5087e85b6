"""The error messages a person reads (command line, status bar, red outlines) in the user's language.

The messages are made where the error is found, mostly in ``graph/`` and ``engine/ops``, which may not
import this catalogue, and say them in English. Each one is listed here as a pattern, the English text
with its variable parts as {placeholders}; :func:`translate_error` matches a message against the
patterns and fills the translation (context "error" in the catalogue) with the parts it found.

Messages are built from pieces ("a.json:3: node 'h' (relu): attribute 'alpha' must be a number, got
'x'"), so a message no whole pattern matches is split at a ": ": the tail is translated on its own and
the head is a place (context "where": "node {node} ({op})"; a file name stays as it is). A placeholder
named ``reason`` or ``place`` is itself translated the same way. A message nothing matches stays
English. To translate one more: add its pattern here and its translation to each ``engine.po``.
"""

from __future__ import annotations

import re
from functools import cache

from engine.i18n import current, pgettext

# whole messages, and the tails of messages that a place or a file name comes before
PATTERNS = (
    # the loader: files and JSON (graph/file_format.py)
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
    "nested too deeply",
    "{name} is not allowed (values must be finite numbers)",
    "the number {number} is outside the range of floating-point numbers",
    "key {key} appears twice in one object",
    "more than {objects} objects {{…}}: too big for a graph file (at most {nodes} nodes and {edges} edges)",
    "file is {size} bytes; graph files are limited to {most}",
    '"description" must be text',
    '"training" must be an object',
    '"descriptions" must be an object: language code to text',
    '"descriptions": the {lang} description must be text',
    "{nodes} nodes and {edges} edges: a graph file holds at most {most_nodes} nodes and {most_edges} edges",
    '"version" must be an integer, got {got}',
    "version {version} was written by a newer Backprop Studio (this one reads {ours})",
    "nodes[{index}] must be an object",
    'nodes[{index}] needs an "id" that is text, got {got}',
    'node {node} needs an "op" that is text',
    '"attrs" must be an object',
    '"label" must be text',
    '"init" must be an object',
    '"position" must be [x, y]',
    "edges[{index}] must be an object",
    'edges[{index}] needs "source", "target" and "port" as text',
    "edges[{index}] ({source} → {target}, port {port}) names a node {end} that does not exist",
    '"dataset" must be an object',
    'dataset "columns" must be an object of column → list of rows',
    "dataset column {name} must be a non-empty list of rows",
    # values (graph/values.py): the inspector's value field and the file's "value"; a value that became
    # inf or nan while running (engine/compile/trace.py) first
    "value became {bad} ({reason})",
    "value became {bad}",
    "value {reason}",
    "nested more than {most} levels deep",
    "ragged array: item {index} has a different shape from item 0",
    "{value} is not a number (write e.g. 0.5, -2, 1e-3 or 1/2)",
    "{value} is not a number",
    "more than {most} elements",
    "array of {dtype} is not numeric",
    "a number is too large for float64",
    "values must be finite (no NaN or Infinity)",
    "{value} divides by zero",
    "empty value",
    # the document and the validation (graph/document.py, graph/validation.py)
    "node {node}: unknown op {op}",
    "node {node} ({op}): input port {port} is not connected",
    "{where}: input port {port} is not connected",
    "the graph has a cycle: {loop}",
    "edge {edge} would close a cycle: {loop}",
    "no node {node}",
    "node id {node} is not valid (letters, digits, _ . -; starting with a letter or _)",
    "node id {node} is used twice",
    "node {node} ({op}) has no input port {port} (ports: {ports})",
    "port {port} of node {node} is already fed by {source}",
    "no edge {edge}",
    "node {node}: op {op} has no port {port}",
    "node {node} ({op}) has no port {port}",
    "node {node} ({op}) needs a value or a dataset column",
    "node {node} ({op}) needs a value",
    "node {node} ({op}) brings the values of the graph to more than {most} numbers together,"
    " the most a graph may hold",
    "node {node} ({op}) would hold {size} numbers (shape {shape}); a value may hold at most {most}",
    "{source} already feeds {target}",
    # attributes and shapes (engine/ops)
    "attribute {name} must be ≥ {least}, got {value}",
    "attribute {name} must be ≤ {most}, got {value}",
    "attribute {name} must be a number, got {value}",
    "attribute {name} must be finite",
    "attribute {name} must be an integer, got {value}",
    "attribute {name} must be an integer axis or null",
    "attribute {name} must be true or false",
    "attribute {name} must be one of {options}, got {value}",
    "attribute {name} must be a list of at most 8 whole numbers ≥ 0 (one may be -1), got {value}",
    "op {op} has no attribute {name}",
    "softmax needs at least one dimension: x is ()",
    "axis {axis} is out of range for x of shape {shape}",
    "shapes {a} and {b} do not broadcast",
    "shapes {a} and {b} and {c} do not broadcast",
    "a is {a}, b is {b} (matmul needs at least one dimension on each side)",
    "a is {a}, b is {b} (the batch dimensions do not broadcast)",
    "a is {a}, b is {b}",
    "x of shape {shape} ({size} elements) cannot take the shape {new}",
    "pred is {pred}, target is {target} (they do not broadcast)",
    "pred is {pred}, target is {target} (together they would broadcast to {full})",
    "pred is (), target is {target} (cross_entropy needs logits with a class axis)",
    "pred is {pred}, target is {target} (the target must be probabilities of shape {probs}"
    " or class indices of shape {indices})",
    "bce needs probabilities in [0, 1] as pred, got {value}",
    "class indices of the target must be whole numbers from 0 to {last}, got {value}",
    # running the graph (engine/compile)
    "gradient became {bad}",
    "division by zero",
    "square root of a negative number",
    "log of zero or of a negative number",
    "output node {node} does not exist",
    "class indices, not differentiable",
    "{node} = {point} is {op}'s kink (at {at}): one-sided derivatives {left} (left) and {right} (right);"
    " this program uses {used}, as PyTorch does",
    # why rows go one by one (engine/compile/batch.py), in the diagnostics' summary
    "node {node} ({op}) does not act row by row",
    "node {node} ({op}) gets rows of shape {shape} on {port}, of a lower rank than its output",
    "node {node} ({op}) gets rows on {port}: only rows on the left go in one pass",
    "node {node} ({op}) gets rows on some inputs but not on {port}",
    "node {node} ({op}) reduces over the rows but is not the output (what follows would see their mean)",
    "the graph has no output: add an op node that nothing consumes",
    # training (engine/train): settings, order, dataset files, initialisers, the run
    "training {key} {reason}, got {value}",
    "must be a node id",
    "must be one of {options}",
    "must be a number > 0",
    "must be a number in [0, 1)",
    "must be true or false",
    "must be two numbers in [0, 1)",
    "must be a whole number from {least} to {most}",
    "must be a whole number ≥ 0",
    "must be a number or null",
    "needs a momentum > 0",
    "must be at most {most}",
    "must be sequential, reverse, shuffle or a list of row indices",
    "must be sequential, reverse, shuffle or a non-empty list of row indices ≥ 0",
    "training 'order': {reason}",
    "row {row} is out of range; the dataset has {count} row ({place})",
    "row {row} is out of range; the dataset has {count} rows ({place})",
    "no row numbers given ({place})",
    "{part} is not sequential, reverse, shuffle or a row number ({place})",
    "{part} is not a row number ({place})",
    "row {row} is out of range ({place})",
    "0-based: ≥ {least}",
    "0-based: {first} … {last}",
    "counted from {base}: ≥ {least}",
    "counted from {base}: {first} … {last}",
    "empty file",
    "column {index} header {title} is not a node id or id[index]",
    "column {title} does not name an input node of the graph",
    "line {line}, column {title}: {cell} is not a number",
    "line {line}, column {title}: {cell} is not finite",
    "line {line} has {cells} cells, the header {header}",
    "columns of {name} must be {first}, {second}, … without gaps",
    "{name} has {columns} columns but the input has shape {shape}",
    "no rows under the header",
    "input {name} takes shape {shape}, got {got}",
    "dataset column {name} names no node of the graph",
    "dataset column {name} feeds node {node}, which is a {op}, not an input",
    "dataset column {name} has no rows",
    "dataset column {name} holds a NaN or Inf",
    "dataset column {name}: rows of shape {rows} do not fit input {node} of shape {shape}",
    "dataset column {name} has {rows} rows, the others {others}",
    "init {key} must be a finite number, got {value}",
    "unknown init kind {kind} (kinds: {kinds})",
    "init {key} must be a whole number ≥ {least}",
    "init 'shape' must be a list of sizes",
    "init must be an object, got {value}",
    "uniform init needs a ≤ b",
    "normal init needs std ≥ 0",
    "parameter {node} has neither a value nor an init 'shape' to draw one for",
    "parameter {node} has no value and no init",
    "initial value for {node}, which is not a parameter",
    "initial value has shape {shape}, not {current}",
    "update {update} (epoch {epoch}, {place}): the loss is not finite;"
    " parameters kept from before this update",
    "update {update} (epoch {epoch}, {place}): {reason}; parameters kept from before this update",
    "observation {number}",
    "the graph's values",
    "unknown optimizer {name} (sgd or adam)",
    # importing a model (engine/interop)
    "not an ONNX model ({detail})",
    "input {name} has a dynamic shape {shape}; give its value with --input-value {input}=…",
    "{name} takes shape {wanted} (or rows of it), the value given is {got}",
    "--loss must be one of {options}, got {got}",
    "--loss {loss} needs --target VALUE",
    "the batches given for the inputs and the target have different numbers of rows",
    "tensor {name} has a negative dimension {size}",
    "tensor {name} has {count} elements; the limit is {most}",
    "the file is {size} bytes; models are limited to {most}",
    "sparse initialisers are not supported",
    "invalid model: {detail}",
    "input {name} comes from nowhere",
    "input {name} has no shape",
    "operator {op} is not supported",
    "attribute {name} is not supported",
    "needs {count} inputs",
    "the model's outputs are not computed by any node",
    "loading the module failed: {detail}",
    "{name} is not a torch.nn.Module",
    "module {name} is not supported",
    "give the input's value with --input-value {name}=…",
    # the unrolled RNN's settings (graph/builders.py): main.py build-rnn and its dialog
    "T must be a whole number from {least} to {most}, got {value}",
    "input size must be a whole number from {least} to {most}, got {value}",
    "hidden size must be a whole number from {least} to {most}, got {value}",
    "output size must be a whole number from {least} to {most}, got {value}",
    "activation must be one of {options}, got {value}",
    "output activation must be one of {options}, got {value}",
    "loss must be one of {options}, got {value}",
    'loss "bce" needs output_activation "sigmoid" (probabilities)',
    "a sequence task reads and predicts one kind of element: input = output size",
    "sequence must hold T + 1 = {count} elements y_0 … y_T, got {got}",
    # the diagnostics and the playground's data sets (engine/diagnose)
    "no dataset input of one or two features to draw the plane of",
    "unknown data set {kind}: one of {kinds}",
    "the size must be ≥ 1 and the noise in [0, 1]",
    # the quiz, the worked solution, the exercise variants (engine/teach)
    "\"quiz\" must be an object with \"hide\", \"tolerance\" and \"hints\"",
    "quiz \"hide\" must be a list of strings such as \"value:h\" or \"grad:*\"",
    "quiz tolerance must be a number from 0 up to 1, got {value}",
    "quiz \"hints\" must be true or false, got {value}",
    "quiz cannot hide {entry}: write value:NODE, grad:NODE, update:NODE, edge:SOURCE>TARGET.PORT,"
    " value:*, grad:*, update:* or all",
    "format must be md, tex or html, got {got}",
    "--variants must be between 1 and 500, got {got}",
    "--steps must be between 0 and 20, got {got}",
    "--decimals must be between 0 and 8, got {got}",
    "--find takes a comma-separated list of {finds}; got {got}",
    "no set of variants keeps unit {unit} of the original alive",
    "variant {number}: no numbers found after {tries} tries (last: {why})",
)

# the heads of composed messages: where the tail's problem is
PLACES = (
    "node {node} ({op})",
    "node {node} ({op}), backward",
    "node {node} ({op}): {kind}Error",
    "node {node} ({op}), backward: {kind}Error",
    "node {node}",
    "parameter {node}",
    "dataset column {name}",
    "the value given for {name}",
    "a {op} node",
    "traced node {node} ({what})",
    "{op} {node}",
)

# the undo stack's names of the edits (graph/edits.py, graph/clipboard.py): Edit ▸ Undo …
EDITS = (
    "Add {op}",
    "Delete {node}",
    "Connect {edge}",
    "Disconnect {edge}",
    "Set value of {node}",
    "Set initialiser of {node}",
    "Set {name} of {node}",
    "Rename {node}",
    "Make {node} a {op}",
    "Move",
    "Edit description",
    "Edit dataset",
    "Edit training",
    "Paste 1 node",
    "Paste {count} nodes",
)

# a placeholder with one of these names holds a message of its own (a reason, a place), translated too
_NESTED = ("reason", "place")
# a value in a message has no ": " in it (that is where a message's pieces meet), a nested message may;
# the op and node of the shape errors' head "{op} {node}" are identifiers, not any text
_ANY, _PIECE = ".+?", "(?:(?!: ).)+?"
_IDENTIFIER = {"op": r"[A-Za-z_]\w*", "node": r"\S+"}
# a detail quoted from a library (json, onnx) is any text, ": " included, and stays as it is
_FREE = ("detail",)


@cache
def _regex(pattern: str, strict: bool = False) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", pattern.replace("{{", "{").replace("}}", "}"))
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_placeholder(p, strict)})"
                              for i, p in enumerate(parts)))


def _placeholder(name: str, strict: bool) -> str:
    if name in _NESTED or name in _FREE:
        return _ANY
    return _IDENTIFIER.get(name, _PIECE) if strict else _PIECE


def translate_error(message: str) -> str:
    """`message` in the current language when it (or its tail) matches a pattern, else as it is."""
    if current() == "en":
        return message
    return _translate(message) or message


def translate_edit(label: str) -> str:
    """An edit's name on the undo stack (graph.edits: "Add relu") in the current language."""
    if current() == "en":
        return label
    return _match("edit", EDITS, label) or label


def _translate(message: str) -> str | None:
    """The translation of a whole message, or None when no pattern (of it or of a tail) matches."""
    found = _match("error", PATTERNS, message)
    if found is not None:
        return found
    start = message.find(": ")
    while start >= 0:
        tail = _translate(message[start + 2:])
        if tail is not None:
            head = message[:start]
            return f"{_match('where', PLACES, head, strict=True) or head}: {tail}"
        start = message.find(": ", start + 1)
    return None


def _match(context: str, patterns: tuple[str, ...], message: str, strict: bool = False) -> str | None:
    for pattern in patterns:
        found = _regex(pattern, strict).fullmatch(message)
        if found:
            parts = {k: (_translate(v) or v) if k in _NESTED else v for k, v in found.groupdict().items()}
            return pgettext(context, pattern).format(**parts)
    return None
