"""Every diagnostic of a document at once, for the command line (``main.py diagnose``): train (or
keep the file's weights), then the boundary, the units, the gradient flow, the landscape with the
training path and the learning-rate range test, as numbers (JSON, CSV) and a short Markdown summary.
The pictures are drawn by the window's code (``gui/panels/training/diagnostics.py``)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.diagnose.boundary import BoundaryMap, decision_boundary, feature_input
from engine.diagnose.gradflow import GradientFlow, gradient_flow, histograms, layer_order
from engine.diagnose.landscape import Line, Plane, along_gradient, loss_plane
from engine.diagnose.lr_range import RangeTest, lr_range_test
from engine.diagnose.model import Model
from engine.diagnose.units import UnitHealth, unit_health
from engine.i18n import _, ngettext
from engine.i18n.errors import translate_error
from engine.train.settings import settings_from
from engine.train.trainer import Trainer
from graph.document import Document

SNAPSHOTS = 40  # parameter snapshots kept along the training (the path, the histograms)


@dataclass
class Report:
    model: Model
    history: list[float] = field(default_factory=list)
    flow: GradientFlow | None = None
    snapshots: list[np.ndarray] = field(default_factory=list)  # flat parameters along the training
    grad_snapshots: list[np.ndarray] = field(default_factory=list)  # the dataset's mean gradient there
    boundary: BoundaryMap | None = None
    units: list[UnitHealth] = field(default_factory=list)
    line: Line | None = None
    plane: Plane | None = None
    range_test: RangeTest | None = None

    def value_histograms(self, bins: int = 30) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per parameter, its values' histogram at each snapshot (edges, counts[t, bin])."""
        per = [self.model.unflatten(s) for s in self.snapshots]
        return {p: histograms([snap[p] for snap in per], bins) for p in self.model.parameter_ids}

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"history": self.history, "batched": self.model.batched}
        if self.model.reason:
            out["row_by_row_because"] = self.model.reason
        if self.flow:
            out["gradient_flow"] = self.flow.to_json()
        out["units"] = [
            {"node": u.node, "op": u.op, "kind": u.kind, "fraction": u.fraction.tolist(), "stuck": u.stuck}
            for u in self.units
        ]
        if self.line:
            out["along_gradient"] = {"alphas": self.line.alphas.tolist(), "losses": self.line.losses.tolist()}
        if self.plane:
            out["plane"] = {
                "alphas": self.plane.alphas.tolist(),
                "losses": self.plane.losses.tolist(),
                "path": self.plane.path.tolist(),
            }
        if self.range_test:
            out["lr_range_test"] = self.range_test.to_json()
        if self.boundary:
            out["boundary"] = {
                "misclassified": int(self.boundary.misclassified.sum()),
                "level": self.boundary.level,
            }
        return out

    def summary(self, name: str) -> str:
        """The Markdown summary: dead units, gradient ratio, suggested learning rate."""
        lines = ["# " + _("Diagnosis of {name}").format(name=name), ""]
        if self.history:
            count = len(self.history)
            lines.append("- " + ngettext("Trained {count} update; last loss {loss}.",
                                         "Trained {count} updates; last loss {loss}.", count).format(
                count=count, loss=f"{self.history[-1]:.4g}"))
        lines.append("- " + _("Mean loss over the dataset: {loss}.").format(loss=f"{self.model.loss():.4g}"))
        if self.boundary is not None:
            wrong = int(self.boundary.misclassified.sum())
            lines.append("- " + _("Misclassified points: {wrong} of {total}.").format(
                wrong=wrong, total=len(self.boundary.labels)))
        lines.append(self._units_line())
        if self.flow is not None:
            lines.append(f"- {self.flow.note}")
        if self.range_test is not None:
            lr = self.range_test.suggested
            if lr:
                said = _("suggested rate {lr}").format(lr=f"{lr:.3g}")
            else:
                said = _("the loss never fell; no rate suggested")
            test = _("Learning-rate range test (from the file's weights): {said}.")
            lines.append("- " + test.format(said=said))
        if not self.model.batched:
            lines.append("- " + _("Rows evaluated one by one: {reason}.").format(
                reason=translate_error(self.model.reason or "")))
        return "\n".join(lines) + "\n"

    def _units_line(self) -> str:
        stuck = [f"{u.node}: {u.reason()}" for u in self.units if u.reason()]
        units = "; ".join(stuck) if stuck else _("none.")
        return "- " + _("Dead or saturated units: {units}").format(units=units)

    def write_numbers(self, out: Path) -> list[Path]:
        """report.json, and CSV files of the plotted numbers; returns the paths written."""
        written = [out / "report.json"]
        written[0].write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")
        if self.flow is not None and self.flow.norms.size:
            rows = [[u + 1, *row] for u, row in enumerate(self.flow.norms.tolist())]
            written.append(_csv(out / "gradient_norms.csv", ["update", *self.flow.order], rows))
        if self.range_test is not None:
            rt = self.range_test
            rows = [list(r) for r in zip(rt.rates.tolist(), rt.losses.tolist(), rt.smoothed.tolist())]
            written.append(_csv(out / "lr_range_test.csv", ["lr", "loss", "smoothed"], rows))
        if self.plane is not None:
            p = self.plane
            rows = [[a, b, p.losses[i, j]] for i, b in enumerate(p.betas) for j, a in enumerate(p.alphas)]
            written.append(_csv(out / "landscape.csv", ["alpha", "beta", "loss"], rows))
        return written


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def diagnose(doc: Document, epochs: int | None = None, steps: int = 41, resolution: int = 100) -> Report:
    """Train `epochs` epochs (0 or None: use the file's weights as they are), then every diagnostic."""
    report = Report(Model.create(doc))
    model = report.model
    # the range test starts from the file's weights: the rate to start training with
    report.range_test = lr_range_test(model, batch_size=_batch_size(doc, model))
    if epochs:
        _train(doc, epochs, report)
    if feature_input(model) is not None:
        report.boundary = decision_boundary(model, resolution=resolution)
    report.units = unit_health(model)
    _loss, g = model.loss_and_grad()
    reach = 1.0 / max(float(np.linalg.norm(g)), 1e-12)  # α·g spans a unit step in parameter space
    report.line = along_gradient(model, np.linspace(-reach, reach, 41))
    report.plane = loss_plane(model, steps=steps, path=report.snapshots)
    return report


def _batch_size(doc: Document, model: Model) -> int:
    settings = settings_from(doc.training)
    return {"sample": 1, "minibatch": settings.batch_size}.get(settings.mode, model.n_rows)


def _snapshot(report: Report) -> None:
    report.snapshots.append(report.model.flat())
    report.grad_snapshots.append(report.model.loss_and_grad()[1])


def _train(doc: Document, epochs: int, report: Report) -> None:
    """Train, keeping the loss history, the gradient norms and SNAPSHOTS parameter snapshots."""
    trainer = Trainer.create(doc, settings_from(doc.training, epochs=epochs), record_grad_norms=True)
    every = max(1, trainer.total_updates // SNAPSHOTS)
    model = report.model
    _snapshot(report)
    while trainer.step():
        if trainer.update % every == 0:
            model.set_parameters(trainer.parameters())
            _snapshot(report)
    model.set_parameters(trainer.parameters())
    _snapshot(report)
    result = trainer.result()
    report.history = list(result.history)
    order = layer_order(doc, model.parameter_ids)
    weights = [p for p in order if model.parameters()[p].ndim == 2]
    report.flow = gradient_flow(result.grad_norms or {}, order, weights if len(weights) >= 2 else None)
