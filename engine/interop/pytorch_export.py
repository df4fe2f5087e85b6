"""A graph as a runnable PyTorch script: an nn.Module that mirrors it node by node, the dataset as
tensors and the training loop of the file's settings (torch.optim), all in float64.

The script is built only from the registered ops' templates (engine/interop/opmap.py), identifiers
derived from node ids (letters, digits and _ only), numbers written with repr and settings checked by
engine.train.settings; the user's labels and description appear in comments with every character
that could end a comment removed, so no text from a graph file can become code.
"""

from __future__ import annotations

import builtins
import keyword
import os
import re
from typing import Any

import numpy as np

from engine.compile.plan import Plan, compile_plan
from engine.interop.opmap import MAPPINGS, TORCH_HELPERS
from engine.train.dataset import epoch_rows
from engine.train.settings import TrainSettings, settings_from
from graph.document import Document

_SCRIPT_NAMES = {"torch", "F", "nn", "np", "json", "math", "argparse", "self", "tensor", "Graph", "INPUTS"}
_SCRIPT_NAMES |= {"DATASET", "ROWS", "NODE_IDS", "row", "epoch_orders", "make_optimiser", "train", "main"}
_SCRIPT_NAMES |= {"final_loss", "trace", "SETTINGS"}
RESERVED = set(keyword.kwlist) | set(dir(builtins)) | _SCRIPT_NAMES | set(TORCH_HELPERS)

_HEADER = '''"""{title}

Exported from Backprop Studio: a PyTorch module that mirrors the graph node by node (float64, the
program's op conventions; helpers below where PyTorch's own differ), the dataset as tensors, and the
training loop of the graph file's settings with torch.optim.

    python {script}           train, printing the loss of every update
    python {script} --json    print {{"history", "parameters", "final_loss"}} as `main.py train --json`
    python {script} --trace   one forward and backward on the graph's own values: {{"output", "grads"}}
"""
'''

_IMPORTS = """
import argparse
import json
import math
{numpy}
import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)


def tensor(values):
    return torch.tensor(values, dtype=torch.float64)
"""

_LOOP = '''

def row(r):
    """The inputs of dataset row r (an input without a dataset column keeps the graph's own value)."""
    return {name: DATASET[name][r] if name in DATASET else value for name, value in INPUTS.items()}


def epoch_orders():
    """Each epoch's order of the rows, as the program draws it."""
    order = SETTINGS["order"]
    if order == "shuffle":
        rng = np.random.default_rng(SETTINGS["seed"])
        while True:
            yield rng.permutation(ROWS).tolist()
    if isinstance(order, list):
        fixed = order
    else:
        fixed = list(range(ROWS)) if order == "sequential" else list(range(ROWS))[::-1]
    while True:
        yield fixed


def make_optimiser(model):
    params = list(model.parameters())
    if not params:
        return None
    if SETTINGS["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=SETTINGS["lr"], betas=SETTINGS["betas"], eps=SETTINGS["eps"])
    return torch.optim.SGD(
        params, lr=SETTINGS["lr"], momentum=SETTINGS["momentum"], nesterov=SETTINGS["nesterov"]
    )


def train(model, report=print):
    """One update per batch: the mean of the rows' losses, backward, an optimiser step. Returns the
    loss of every update (for a batch, the mean), as `main.py train` records it."""
    optimiser = make_optimiser(model)
    orders = epoch_orders()
    history = []
    for epoch in range(SETTINGS["epochs"]):
        order = next(orders)
        size = {"sample": 1, "minibatch": SETTINGS["batch_size"]}.get(SETTINGS["mode"], len(order))
        losses = []
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            if optimiser is not None:
                optimiser.zero_grad()
            loss = sum(model(**row(r)) for r in batch) / len(batch)
            if not math.isfinite(loss.item()):
                report(f"update {len(history) + 1}: the loss is not finite; stopped")
                return history
            if optimiser is not None:
                loss.backward()
                optimiser.step()
            history.append(loss.item())
            losses.append(loss.item())
            report(f"update {len(history)} (epoch {epoch + 1}): loss {loss.item()!r}")
        if SETTINGS["stop_below"] is not None and sum(losses) / len(losses) < SETTINGS["stop_below"]:
            break
    return history


def final_loss(model):
    """The mean loss over every row with the current parameters."""
    with torch.no_grad():
        return sum(model(**row(r)).item() for r in range(ROWS)) / ROWS


def trace(model):
    """The output and the gradient of every leaf on the graph's own values, by autograd."""
    inputs = {name: value.clone().requires_grad_(True) for name, value in INPUTS.items()}
    out = model(**inputs)
    out.backward()
    leaves = {**inputs, **dict(model.named_parameters())}
    grads = {
        NODE_IDS[name]: (torch.zeros_like(t) if t.grad is None else t.grad).tolist()
        for name, t in leaves.items()
    }
    return {"output": out.item(), "grads": grads}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--trace", action="store_true", help="one forward and backward, as JSON")
    args = parser.parse_args()
    model = Graph()
    if args.trace:
        print(json.dumps(trace(model)))
        return
    history = train(model, report=(lambda text: None) if args.json else print)
    parameters = {NODE_IDS[name]: p.detach().tolist() for name, p in model.named_parameters()}
    result = {"history": history, "parameters": parameters, "final_loss": final_loss(model)}
    print(json.dumps(result) if args.json else f"final loss {result['final_loss']!r}")


if __name__ == "__main__":
    main()
'''


def comment(text: str, docstring: bool = False) -> str:
    """Text safe inside a one-line comment: line breaks and other control characters become spaces
    (in a docstring quotes and backslashes too)."""
    unsafe = r"[\x00-\x1f\x7f\x85\u2028\u2029\"'\\]" if docstring else r"[\x00-\x1f\x7f\x85\u2028\u2029]"
    return re.sub(unsafe, " ", text).strip()


class _Names:
    """Python identifiers for node ids, unique and clear of keywords, builtins and the script's names."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.of: dict[str, str] = {}

    def add(self, node_id: str) -> str:
        stem = re.sub(r"\W", "_", node_id, flags=re.ASCII)
        if not stem.isidentifier() or stem in RESERVED:
            stem = f"{stem}_" if stem.isidentifier() else f"n_{stem}"
        name, k = stem, 1
        while name in self.used:
            k += 1
            name = f"{stem}_{k}"
        self.used.add(name)
        self.of[node_id] = name
        return name


def _literal(value: Any) -> str:
    return f"tensor({np.asarray(value, dtype=np.float64).tolist()!r})"


def _label(doc: Document, node_id: str) -> str:
    label = doc.node(node_id).label
    return f"  # {comment(label)}" if label and label != node_id else ""


def _module(plan: Plan, names: _Names) -> str:
    """class Graph(nn.Module): parameters and constants in __init__, one line per node in forward."""
    doc, leaves = plan.doc, plan.leaf_values()
    init = ["class Graph(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    body: list[str] = []
    ref: dict[str, str] = {}
    args = []
    for slot, (node_id, op) in enumerate(zip(plan.ids, plan.ops)):
        name = names.add(node_id)
        if op.id == "input":
            args.append(name)
            ref[node_id] = name
        elif op.is_leaf:
            ref[node_id] = f"self.{name}"
            literal = _literal(leaves[slot])
            if op.id == "parameter":
                init.append(f"        self.{name} = nn.Parameter({literal}){_label(doc, node_id)}")
            else:
                init.append(f'        self.register_buffer("{name}", {literal}){_label(doc, node_id)}')
        else:
            ref[node_id] = name
            sources = {port: ref[plan.ids[s]] for port, s in zip(op.inputs, plan.inputs[slot])}
            attrs = {k: repr(v) for k, v in plan.attrs[slot].items()}
            expr = MAPPINGS[op.id].torch_template(plan.attrs[slot]).format(**sources, **attrs)
            body.append(f"        {name} = {expr}{_label(doc, node_id)}")
    forward = [f"    def forward(self, {', '.join(args)}):" if args else "    def forward(self):"]
    return "\n".join([*init, "", *forward, *body, f"        return {ref[plan.output]}"])


def _data(plan: Plan, names: _Names, settings: TrainSettings) -> str:
    doc = plan.doc
    leaves = plan.leaf_values()
    inputs = [(names.of[n], leaves[s]) for s, n in enumerate(plan.ids) if plan.ops[s].id == "input"]
    columns = {names.of[k]: v for k, v in doc.dataset_columns().items() if k in plan.slot}
    lines = ["# The graph's own input values (what `main.py run` uses).", "INPUTS = {"]
    lines += [f"    {name!r}: {_literal(value)}," for name, value in inputs]
    lines += ["}", "# The dataset: one row per observation, for the inputs it feeds.", "DATASET = {"]
    lines += [f"    {name!r}: {_literal(value)}," for name, value in columns.items()]
    lines += ["}", f"ROWS = {epoch_rows(doc)}"]
    lines.append(f"NODE_IDS = { ({v: k for k, v in names.of.items() if k in plan.slot})!r}")
    data = settings.to_json()
    data.update(betas=list(settings.betas), eps=settings.eps, stop_below=settings.stop_below)
    data.pop("loss", None)
    lines.append(f"SETTINGS = {data!r}")
    return "\n".join(lines)


def to_pytorch(
    doc: Document,
    *,
    script: str = "model.py",
    title: str = "Backprop Studio graph",
    output: str | None = None,
) -> str:
    """The script's text (raises GraphError if the graph is invalid, TrainingError for bad settings)."""
    settings = settings_from(doc.training)
    plan = compile_plan(doc, output=output or settings.loss)
    names = _Names()
    helpers = sorted({h for op in plan.ops if not op.is_leaf for h in MAPPINGS[op.id].helpers})
    header = _HEADER.format(title=comment(title, True), script=comment(os.path.basename(script), True))
    if doc.description:
        header += "".join(f"# {comment(line)}".rstrip() + "\n" for line in doc.description.splitlines())
    parts = [
        header + _IMPORTS.format(numpy="import numpy as np" if settings.order == "shuffle" else ""),
        *(TORCH_HELPERS[h].rstrip() + "\n" for h in helpers),
        _module(plan, names),
        _data(plan, names, settings),
    ]
    return "\n\n".join(p.strip("\n") + "\n" for p in parts) + _LOOP


def export_pytorch(
    doc: Document, path: str | os.PathLike[str], *, title: str | None = None, output: str | None = None
) -> str:
    """Write the script to `path` (built first, so a failure writes nothing)."""
    text = to_pytorch(doc, script=os.fspath(path), title=title or "Backprop Studio graph", output=output)
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return text
