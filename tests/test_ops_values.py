"""Hand-derived values of the ops: kinks, constants, losses, shape errors and numerical stability.

Each expected number is derived in the comment beside it, independently of the implementation.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

import engine
from engine.ops.registry import OpShapeError

LAMBDA = 1.0507009873554805
ALPHA = 1.6732632423543772


def arr(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def fwd(op_id: str, *xs, **attrs) -> np.ndarray:
    op = engine.REGISTRY[op_id]
    return op.forward(*(arr(x) for x in xs), **op.resolve_attrs(attrs))


def grads(op_id: str, *xs, grad_out=None, **attrs) -> tuple:
    """All input gradients for grad_out (ones by default)."""
    op = engine.REGISTRY[op_id]
    attrs = op.resolve_attrs(attrs)
    xs = tuple(arr(x) for x in xs)
    y = op.forward(*xs, **attrs)
    g = np.ones(y.shape) if grad_out is None else arr(grad_out)
    return op.vjp(g, xs, y, **attrs)


def grad(op_id: str, *xs, **attrs) -> np.ndarray:
    return grads(op_id, *xs, **attrs)[0]


def shape(op_id: str, *shapes, **attrs) -> tuple[int, ...]:
    op = engine.REGISTRY[op_id]
    return op.shape(*shapes, **op.resolve_attrs(attrs))


@contextmanager
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# ------------------------------------------------------------------------------------ kinks at zero
def test_relu_value_and_kink() -> None:
    # max(0, x): relu(−1) = 0, relu(2) = 2; ReLU'(0) takes the left branch: 0.
    np.testing.assert_array_equal(fwd("relu", [-1.0, 0.0, 2.0]), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(grad("relu", [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])


def test_leaky_relu_value_and_kink() -> None:
    # α = 0.01 by default: leaky(−2) = −0.02; LeakyReLU'(0) = α (left branch), 1 for x > 0.
    np.testing.assert_allclose(fwd("leaky_relu", [-2.0, 0.0, 3.0]), [-0.02, 0.0, 3.0])
    np.testing.assert_allclose(grad("leaky_relu", [-2.0, 0.0, 3.0]), [0.01, 0.01, 1.0])
    # α = 0.3: leaky(−2) = −0.6, derivative 0.3 at 0 and below.
    np.testing.assert_allclose(fwd("leaky_relu", [-2.0, 0.0, 3.0], alpha=0.3), [-0.6, 0.0, 3.0])
    np.testing.assert_allclose(grad("leaky_relu", [-2.0, 0.0, 3.0], alpha=0.3), [0.3, 0.3, 1.0])
    # α = 2 (steeper on the left): leaky(−1) = −2, leaky(1) = 1; derivative 2 at 0.
    np.testing.assert_allclose(fwd("leaky_relu", [-1.0, 1.0], alpha=2.0), [-2.0, 1.0])
    np.testing.assert_allclose(grad("leaky_relu", [0.0, 1.0], alpha=2.0), [2.0, 1.0])


def test_elu_value_and_kink() -> None:
    # α = 1: elu(−1) = e⁻¹ − 1; ELU'(z ≤ 0) = α·eᶻ, so ELU'(0) = α = 1 and ELU'(−1) = e⁻¹.
    np.testing.assert_allclose(fwd("elu", [-1.0, 0.0, 2.0]), [math.exp(-1) - 1, 0.0, 2.0])
    np.testing.assert_allclose(grad("elu", [-1.0, 0.0, 2.0]), [math.exp(-1), 1.0, 1.0])
    # α = 0.5: ELU'(0) = 0.5.
    np.testing.assert_allclose(grad("elu", [0.0], alpha=0.5), [0.5])


def test_selu_constants_and_kink() -> None:
    # selu(1) = λ·1 = λ; selu(0) = λα(e⁰ − 1) = 0; SELU'(0) = λα·e⁰ = λα ≈ 1.7581; SELU'(1) = λ.
    np.testing.assert_allclose(fwd("selu", [1.0, 0.0]), [LAMBDA, 0.0])
    np.testing.assert_allclose(grad("selu", [0.0, 1.0]), [LAMBDA * ALPHA, LAMBDA])
    assert LAMBDA * ALPHA == pytest.approx(1.7580993408473766)
    # selu(−1) = λα(e⁻¹ − 1).
    np.testing.assert_allclose(fwd("selu", [-1.0]), [LAMBDA * ALPHA * (math.exp(-1) - 1)])


def test_abs_kink_is_zero() -> None:
    # |x|' = sign(x): −1, 0 at 0 (PyTorch), +1.
    np.testing.assert_array_equal(fwd("abs", [-2.0, 0.0, 3.0]), [2.0, 0.0, 3.0])
    np.testing.assert_array_equal(grad("abs", [-2.0, 0.0, 3.0]), [-1.0, 0.0, 1.0])


# ------------------------------------------------------------------------------- smooth activations
def test_sigmoid_at_zero() -> None:
    # σ(0) = 1/(1 + 1) = 0.5; σ'(0) = σ(0)(1 − σ(0)) = 0.25.
    assert fwd("sigmoid", 0.0) == 0.5
    assert grad("sigmoid", 0.0) == 0.25


def test_tanh_at_zero_and_one() -> None:
    # tanh(0) = 0, tanh'(0) = 1 − 0² = 1; tanh'(1) = 1 − tanh²(1).
    np.testing.assert_allclose(grad("tanh", [0.0, 1.0]), [1.0, 1.0 - math.tanh(1.0) ** 2])


def test_softplus_at_zero() -> None:
    # ln(1 + e⁰) = ln 2; softplus'(0) = σ(0) = 0.5.
    assert fwd("softplus", 0.0) == pytest.approx(math.log(2.0), rel=1e-15)
    assert grad("softplus", 0.0) == pytest.approx(0.5, rel=1e-15)


def test_gelu_is_x_times_the_normal_cdf() -> None:
    # GELU(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) (math.erf); GELU(0) = 0, GELU(1) = Φ(1) ≈ 0.8413.
    xs = [-3.0, -1.0, 0.0, 0.5, 1.0, 2.0]
    expected = [x * 0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) for x in xs]
    # (atol: in the left tail 1 + erf(…) cancels, so the reference itself is good to ~1e-16 absolute.)
    np.testing.assert_allclose(fwd("gelu", xs), expected, rtol=2e-15, atol=1e-15)
    assert fwd("gelu", 1.0) == pytest.approx(0.8413447460685429, rel=1e-15)  # Φ(1), from tables
    # GELU'(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π): GELU'(0) = ½, GELU'(1) = Φ(1) + φ(1).
    slopes = [0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
              for x in xs]
    np.testing.assert_allclose(grad("gelu", xs), slopes, rtol=2e-15, atol=1e-15)
    assert grad("gelu", 0.0) == 0.5


def test_gelu_keeps_relative_precision_in_the_left_tail() -> None:
    # Φ(−10) = 7.619853024160527e-24 (tables): GELU(−10) = −10·Φ(−10), where 1 + erf(−10/√2) would
    # cancel to 0.
    assert fwd("gelu", -10.0) == pytest.approx(-7.619853024160527e-23, rel=1e-13)
    with no_warnings():
        np.testing.assert_array_equal(fwd("gelu", [1000.0, -1000.0]), [1000.0, 0.0])
        np.testing.assert_array_equal(grad("gelu", [1000.0, -1000.0]), [1.0, 0.0])


def test_sin_at_known_angles() -> None:
    # sin(π/6) = ½, sin(π/2) = 1; sin' = cos: cos(π/3) = ½, cos(0) = 1, cos(π) = −1.
    np.testing.assert_allclose(fwd("sin", [math.pi / 6, math.pi / 2, 0.0]), [0.5, 1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(grad("sin", [math.pi / 3, 0.0, math.pi]), [0.5, 1.0, -1.0], atol=1e-15)


def test_swish_at_one() -> None:
    # swish(1, β=1) = 1·σ(1). ∂y/∂x = σ(βx) + βx·σ(βx)(1 − σ(βx)) = σ(1) + σ(1)(1 − σ(1));
    # ∂y/∂β = x²·σ(βx)(1 − σ(βx)) = σ(1)(1 − σ(1)).
    s = sigma(1.0)
    assert fwd("swish", 1.0, 1.0) == pytest.approx(s, rel=1e-15)
    gx, gb = grads("swish", 1.0, 1.0)
    assert gx == pytest.approx(s + s * (1 - s), rel=1e-14)
    assert gb == pytest.approx(s * (1 - s), rel=1e-14)


def test_swish_beta_broadcasts() -> None:
    # One β for three x: ∂L/∂β sums x²·σ'(βx) over the three (β = 0: σ' = 1/4, so Σx²/4 = 14/4).
    gx, gb = grads("swish", [1.0, 2.0, 3.0], 0.0)
    assert gb.shape == ()
    assert gb == pytest.approx(14.0 / 4.0)
    # β = 0: y = x/2, so ∂y/∂x = 1/2.
    np.testing.assert_allclose(gx, [0.5, 0.5, 0.5])


def test_mish_at_zero() -> None:
    # mish(0) = 0·tanh(ln 2) = 0. mish'(0) = tanh(ln 2) + 0 = (2 − ½)/(2 + ½) = 0.6.
    assert fwd("mish", 0.0) == 0.0
    assert grad("mish", 0.0) == pytest.approx(0.6, rel=1e-14)


def test_softmax_sums_to_one() -> None:
    # softmax([0, ln 3]) = [1/4, 3/4]; each row sums to 1, even for logits near 1000.
    np.testing.assert_allclose(fwd("softmax", [0.0, math.log(3.0)]), [0.25, 0.75])
    with no_warnings():
        y = fwd("softmax", [[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    np.testing.assert_allclose(y.sum(axis=-1), [1.0, 1.0])
    np.testing.assert_allclose(fwd("softmax", [[1.0, 2.0], [3.0, 4.0]], axis=0).sum(axis=0), [1.0, 1.0])


def test_softmax_vjp_of_a_constant_gradient_is_zero() -> None:
    # Σ yᵢ = 1 always, so a gradient that is the same for every yᵢ has no effect: y(g − Σ g·y) = 0.
    np.testing.assert_allclose(grad("softmax", [0.3, -1.0, 2.0]), [0.0, 0.0, 0.0], atol=1e-16)


# ---------------------------------------------------------------------------------------- arithmetic
def test_div_and_pow_gradients() -> None:
    # a/b at a = 1, b = 2: ∂/∂a = 1/b = 0.5, ∂/∂b = −a/b² = −0.25.
    ga, gb = grads("div", 1.0, 2.0)
    assert (ga, gb) == (0.5, -0.25)
    # 2³ = 8: ∂/∂a = 3·2² = 12, ∂/∂b = 8·ln 2.
    ga, gb = grads("pow", 2.0, 3.0)
    assert ga == pytest.approx(12.0)
    assert gb == pytest.approx(8.0 * math.log(2.0))
    # (−2)³ = −8: ∂/∂a = 3·(−2)² = 12; ∂/∂b is taken as 0 where a ≤ 0.
    assert fwd("pow", -2.0, 3.0) == -8.0
    assert grads("pow", -2.0, 3.0) == (pytest.approx(12.0), 0.0)
    # 0⁰ = 1 with ∂/∂a = 0 (PyTorch's convention for b = 0) and ∂/∂b = 0.
    assert fwd("pow", 0.0, 0.0) == 1.0
    assert grads("pow", 0.0, 0.0) == (0.0, 0.0)


def test_broadcast_gradients_are_summed() -> None:
    # (2, 3) − (3,): the gradient of b sums the two rows of −1: −2 each.
    ga, gb = grads("sub", np.ones((2, 3)), np.ones(3))
    np.testing.assert_array_equal(ga, np.ones((2, 3)))
    np.testing.assert_array_equal(gb, [-2.0, -2.0, -2.0])


def test_log_and_sqrt_outside_their_domain_are_quiet() -> None:
    # numpy's values: ln 0 = −inf, ln(−1) = nan, √−1 = nan; the engine reports them, numpy stays quiet.
    with no_warnings():
        np.testing.assert_array_equal(fwd("log", [0.0, 1.0]), [-np.inf, 0.0])
        assert np.isnan(fwd("log", -1.0))
        assert np.isnan(fwd("sqrt", -1.0))
        assert grad("log", 0.0) == np.inf
        assert grad("sqrt", 0.0) == np.inf
        assert np.isnan(fwd("pow", -8.0, 1.0 / 3.0))
    # ∂ ln x/∂x = 1/x = 0.5 at 2; ∂√x/∂x = 1/(2√x) = 0.25 at 4.
    assert grad("log", 2.0) == 0.5
    assert grad("sqrt", 4.0) == 0.25


def test_scalar_inputs_give_ndarrays() -> None:
    # numpy turns 0-d results into numpy scalars; the ops hand back 0-d arrays instead.
    for op_id, xs in [("add", (1.0, 2.0)), ("exp", (0.0,)), ("relu", (1.0,)), ("sum", (3.0,))]:
        y = fwd(op_id, *xs)
        assert isinstance(y, np.ndarray) and y.shape == ()


# -------------------------------------------------------------------------------------------- matrix
def test_matmul_vector_times_matrix() -> None:
    # [1, 2] @ [[1, 2], [3, 4]] = [1·1 + 2·3, 1·2 + 2·4] = [7, 10], shape (2,).
    y = fwd("matmul", [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]])
    assert y.shape == (2,) == shape("matmul", (2,), (2, 2))
    np.testing.assert_array_equal(y, [7.0, 10.0])
    # ∂L/∂a = b · g = [1 + 2, 3 + 4] for g = [1, 1]; ∂L/∂b = outer(a, g) = [[1, 1], [2, 2]].
    ga, gb = grads("matmul", [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(ga, [3.0, 7.0])
    np.testing.assert_array_equal(gb, [[1.0, 1.0], [2.0, 2.0]])


def test_matmul_vectors_give_a_scalar() -> None:
    # [1, 2] @ [3, 4] = 11, shape (); ∂/∂a = b, ∂/∂b = a.
    assert fwd("matmul", [1.0, 2.0], [3.0, 4.0]).shape == () == shape("matmul", (2,), (2,))
    ga, gb = grads("matmul", [1.0, 2.0], [3.0, 4.0])
    np.testing.assert_array_equal(ga, [3.0, 4.0])
    np.testing.assert_array_equal(gb, [1.0, 2.0])


def test_matmul_shape_rule() -> None:
    assert shape("matmul", (2, 3), (3, 4)) == (2, 4)
    assert shape("matmul", (2, 3), (3,)) == (2,)
    assert shape("matmul", (5, 2, 3), (3, 4)) == (5, 2, 4)
    assert shape("matmul", (3,), (5, 3, 4)) == (5, 4)
    assert shape("matmul", (2, 1, 2, 3), (4, 3, 2)) == (2, 4, 2, 2)
    with pytest.raises(OpShapeError) as err:
        shape("matmul", (1, 2), (3, 1))
    assert str(err.value) == "a is (1, 2), b is (3, 1)"
    with pytest.raises(OpShapeError, match=r"^a is \(3,\), b is \(2, 1\)$"):
        shape("matmul", (3,), (2, 1))
    with pytest.raises(OpShapeError, match=r"^a is \(\), b is \(2,\)"):
        shape("matmul", (), (2,))
    with pytest.raises(OpShapeError, match=r"^a is \(2, 2, 3\), b is \(3, 3, 1\)"):
        shape("matmul", (2, 2, 3), (3, 3, 1))


def test_transpose() -> None:
    # [[1, 2, 3]]ᵀ is a column; a vector and a scalar pass through (.T semantics).
    np.testing.assert_array_equal(fwd("transpose", [[1.0, 2.0, 3.0]]), [[1.0], [2.0], [3.0]])
    np.testing.assert_array_equal(fwd("transpose", [1.0, 2.0]), [1.0, 2.0])
    assert shape("transpose", (2, 3)) == (3, 2)
    assert shape("transpose", (3,)) == (3,)
    assert shape("transpose", ()) == ()


def test_sum_and_mean() -> None:
    x = [[1.0, 2.0], [3.0, 4.0]]
    # All elements: 1 + 2 + 3 + 4 = 10, mean 10/4 = 2.5, as 0-d arrays.
    assert fwd("sum", x).shape == () and fwd("sum", x) == 10.0
    assert fwd("mean", x) == 2.5
    # Columns (axis 0): [1 + 3, 2 + 4] = [4, 6], mean [2, 3]; rows (axis −1) kept: [[3], [7]].
    np.testing.assert_array_equal(fwd("sum", x, axis=0), [4.0, 6.0])
    np.testing.assert_array_equal(fwd("mean", x, axis=0), [2.0, 3.0])
    np.testing.assert_array_equal(fwd("sum", x, axis=-1, keepdims=True), [[3.0], [7.0]])
    # ∂(mean)/∂xᵢ = 1/4 for all elements; along axis 0 it is 1/2 (two rows averaged).
    np.testing.assert_array_equal(grad("mean", x), np.full((2, 2), 0.25))
    np.testing.assert_array_equal(grad("mean", x, axis=0), np.full((2, 2), 0.5))
    np.testing.assert_array_equal(grad("sum", x, axis=1, grad_out=[1.0, 2.0]), [[1.0, 1.0], [2.0, 2.0]])


def test_reduction_shape_rule() -> None:
    assert shape("sum", (2, 3)) == ()
    assert shape("sum", (2, 3), keepdims=True) == (1, 1)
    assert shape("mean", (2, 3), axis=-1) == (2,)
    assert shape("mean", (2, 3, 4), axis=1, keepdims=True) == (2, 1, 4)
    with pytest.raises(OpShapeError, match=r"axis 2 is out of range for x of shape \(2, 3\)"):
        shape("sum", (2, 3), axis=2)
    with pytest.raises(OpShapeError, match="out of range"):
        shape("softmax", (2, 3), axis=-3)
    with pytest.raises(OpShapeError):
        shape("softmax", ())


def test_reduction_gradients_are_writable_arrays() -> None:
    g = grad("sum", [1.0, 2.0, 3.0])
    assert g.flags.writeable
    g += 1.0


# --------------------------------------------------------------------------------------------- losses
def test_mse() -> None:
    # pred [1, 2], target [0, 0]: squares 1 and 4; mean 5/2 = 2.5, scale 0.5 → 1.25, sum → 5.
    assert fwd("mse", [1.0, 2.0], [0.0, 0.0]) == 2.5
    assert fwd("mse", [1.0, 2.0], [0.0, 0.0], scale=0.5) == 1.25
    assert fwd("mse", [1.0, 2.0], [0.0, 0.0], reduction="sum") == 5.0
    # ∂L/∂pred = (2s/n)(pred − target): [1, 2] for s = 1, n = 2; [0.5, 1] for s = 0.5; target gets −.
    gp, gt = grads("mse", [1.0, 2.0], [0.0, 0.0])
    np.testing.assert_array_equal(gp, [1.0, 2.0])
    np.testing.assert_array_equal(gt, [-1.0, -2.0])
    np.testing.assert_array_equal(grad("mse", [1.0, 2.0], [0.0, 0.0], scale=0.5), [0.5, 1.0])
    assert fwd("mse", [1.0, 2.0], [0.0, 0.0]).shape == ()


def test_bce() -> None:
    # p = 0.5, t = 1: −ln 0.5 = ln 2. ∂L/∂p = (p − t)/(p(1 − p)) = −0.5/0.25 = −2;
    # ∂L/∂t = ln(1 − p) − ln p = 0.
    assert fwd("bce", 0.5, 1.0) == pytest.approx(math.log(2.0), rel=1e-15)
    gp, gt = grads("bce", 0.5, 1.0)
    assert gp == pytest.approx(-2.0)
    assert gt == pytest.approx(0.0, abs=1e-15)
    # Mean over two: p = [0.5, 0.5], t = [1, 0]: ln 2 each, mean ln 2; ∂L/∂p = [−2, 2]/2 = [−1, 1].
    np.testing.assert_allclose(grad("bce", [0.5, 0.5], [1.0, 0.0]), [-1.0, 1.0])


def test_bce_follows_pytorch_at_zero_and_one() -> None:
    # torch.nn.BCELoss clamps each ln at −100: p = 0 with t = 1 costs −max(ln 0, −100) = 100, and so does
    # p = 1 with t = 0; p = 0 with t = 0 costs 0 (t·(−100) = 0). The gradient divides by
    # max(p(1 − p), ε), ε = float32(1e-12) = 9.99999996e-13: at p = 0, t = 1 it is −1/ε ≈ −1.000000004e12
    # (torch 2.13 gives −1000000003995.80). ∂L/∂t = ln(1 − p) − ln p with the clamped logs = 0 − (−100).
    eps32 = float(np.float32(1e-12))
    with no_warnings():
        assert fwd("bce", 0.0, 1.0) == 100.0
        assert fwd("bce", 1.0, 0.0) == 100.0
        assert fwd("bce", 0.0, 0.0) == 0.0
        assert fwd("bce", 1e-50, 0.5) == pytest.approx(50.0, rel=1e-15)  # ½·100 + ½·0
        gp, gt = grads("bce", 0.0, 1.0)
    assert gp == pytest.approx(-1.0 / eps32, rel=1e-15) and gp == pytest.approx(-1000000003995.80, rel=1e-12)
    assert gt == 100.0


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_bce_refuses_values_that_are_not_probabilities(p) -> None:
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        fwd("bce", p, 1.0)


def test_bce_with_logits() -> None:
    # z = 0, t = 1: ln(1 + e⁰) = ln 2, the bce of σ(0) = 0.5. ∂L/∂z = σ(0) − 1 = −0.5, ∂L/∂t = −z = 0.
    assert fwd("bce_with_logits", 0.0, 1.0) == pytest.approx(math.log(2.0), rel=1e-15)
    assert grads("bce_with_logits", 0.0, 1.0) == (-0.5, -0.0)
    # It agrees with bce on σ(z): z = 2, t = 0.3.
    assert fwd("bce_with_logits", 2.0, 0.3) == pytest.approx(fwd("bce", sigma(2.0), 0.3), rel=1e-12)
    # ∂L/∂t = −z/n: z = [1, −3], n = 2 → [−0.5, 1.5].
    np.testing.assert_allclose(grads("bce_with_logits", [1.0, -3.0], [0.0, 1.0])[1], [-0.5, 1.5])


def test_cross_entropy() -> None:
    # Logits [0, 0]: softmax [½, ½]; −ln ½ = ln 2 for class 1, as an index or one-hot.
    assert fwd("cross_entropy", [0.0, 0.0], 1.0) == pytest.approx(math.log(2.0), rel=1e-15)
    assert fwd("cross_entropy", [0.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2.0), rel=1e-15)
    # ∂L/∂z = softmax − onehot = [½, −½]; an index target takes no gradient, a one-hot one −log softmax.
    gp, gt = grads("cross_entropy", [0.0, 0.0], 1.0)
    np.testing.assert_allclose(gp, [0.5, -0.5])
    assert gt is None
    gp, gt = grads("cross_entropy", [0.0, 0.0], [0.0, 1.0])
    np.testing.assert_allclose(gp, [0.5, -0.5])
    np.testing.assert_allclose(gt, [math.log(2.0), math.log(2.0)])
    # Two rows, mean over rows: row 1 logits [0, ln 3] class 0 → −ln ¼ = ln 4; row 2 [0, 0] → ln 2.
    z = [[0.0, math.log(3.0)], [0.0, 0.0]]
    assert fwd("cross_entropy", z, [0.0, 1.0]) == pytest.approx((math.log(4.0) + math.log(2.0)) / 2)
    # ... and the gradient is (softmax − onehot)/2: row 1 [¼ − 1, ¾]/2, row 2 [½, −½]/2.
    np.testing.assert_allclose(grad("cross_entropy", z, [0.0, 1.0]), [[-0.375, 0.375], [0.25, -0.25]])


def test_loss_shape_rules() -> None:
    for op_id in ("mse", "bce", "bce_with_logits"):
        assert shape(op_id, (3,), (3,)) == ()
        assert shape(op_id, (2, 3), (3,)) == ()
        assert shape(op_id, (1,), ()) == ()
        # (3, 1) against (3,) would compare every prediction with every target.
        with pytest.raises(OpShapeError, match=r"pred is \(3, 1\), target is \(3,\)"):
            shape(op_id, (3, 1), (3,))
        with pytest.raises(OpShapeError, match=r"pred is \(2,\), target is \(3,\)"):
            shape(op_id, (2,), (3,))
    assert shape("cross_entropy", (4, 3), (4,)) == ()
    assert shape("cross_entropy", (4, 3), (4, 3)) == ()
    assert shape("cross_entropy", (3,), ()) == ()
    with pytest.raises(OpShapeError, match=r"pred is \(4, 3\), target is \(3,\)"):
        shape("cross_entropy", (4, 3), (3,))
    with pytest.raises(OpShapeError):
        shape("cross_entropy", (), ())


# ------------------------------------------------------------------------------ numerical stability
def test_extreme_inputs_are_exact_and_quiet() -> None:
    with no_warnings():
        # σ(−1000) = 1/(1 + e¹⁰⁰⁰) underflows to 0; σ(1000) = 1; σ'(±1000) = 0.
        np.testing.assert_array_equal(fwd("sigmoid", [-1000.0, 1000.0]), [0.0, 1.0])
        np.testing.assert_array_equal(grad("sigmoid", [-1000.0, 1000.0]), [0.0, 0.0])
        # ln(1 + e¹⁰⁰⁰) = 1000 + ln(1 + e⁻¹⁰⁰⁰) = 1000; ln(1 + e⁻¹⁰⁰⁰) = 0. Derivatives σ: 1 and 0.
        np.testing.assert_array_equal(fwd("softplus", [1000.0, -1000.0]), [1000.0, 0.0])
        np.testing.assert_array_equal(grad("softplus", [1000.0, -1000.0]), [1.0, 0.0])
        # bce_with_logits(z = 1000, t = 0) = max(z, 0) − 0 + ln(1 + e⁻¹⁰⁰⁰) = 1000; (−1000, 1) likewise.
        assert fwd("bce_with_logits", 1000.0, 0.0) == 1000.0
        assert fwd("bce_with_logits", -1000.0, 1.0) == 1000.0
        assert fwd("bce_with_logits", 1000.0, 1.0) == 0.0
        assert grads("bce_with_logits", 1000.0, 0.0)[0] == 1.0
        # mish: x·tanh(softplus(x)) → x for large x and → 0 (from below) for very negative x.
        np.testing.assert_allclose(fwd("mish", [1000.0, -1000.0]), [1000.0, 0.0])
        np.testing.assert_allclose(grad("mish", [1000.0, -1000.0]), [1.0, 0.0])
        # swish with a large βx: y → x·1 or x·0.
        np.testing.assert_allclose(fwd("swish", [1000.0, -1000.0], 1.0), [1000.0, 0.0])
        # elu / selu of very large x do not overflow their exponential branch.
        np.testing.assert_array_equal(fwd("elu", [1000.0, -1000.0]), [1000.0, -1.0])
        np.testing.assert_allclose(fwd("selu", [1000.0]), [LAMBDA * 1000.0])
        # cross-entropy with huge logits: class 0 at [1000, 0] costs ln(1 + e⁻¹⁰⁰⁰) = 0, class 1 costs 1000.
        assert fwd("cross_entropy", [1000.0, 0.0], 0.0) == 0.0
        assert fwd("cross_entropy", [1000.0, 0.0], 1.0) == 1000.0


def test_sigmoid_keeps_relative_precision_in_the_tail() -> None:
    # σ(−40) = e⁻⁴⁰/(1 + e⁻⁴⁰) ≈ 4.248354255291589e-18, far below the spacing of doubles near 1.
    assert fwd("sigmoid", -40.0) == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)), rel=1e-14)
