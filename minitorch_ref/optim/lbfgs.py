"""torch.optim.LBFGS: limited-memory BFGS over all parameters flattened into one vector, with
an optional strong-Wolfe line search (minFunc's scheme, as torch implements it)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._numpy_errors import as_user
from .._tensor import Tensor, _new_tensor
from ..autograd.grad_mode import enable_grad
from .optimizer import Optimizer, _check_options, _get_value

__all__ = ["LBFGS"]

# torch keeps the scalars of the method (dot products, ro, H_diag, often t) as 0-d tensors;
# here they are NumPy scalars of the parameters' dtype. NumPy 2 keeps float32 arithmetic with
# Python floats in float32, as torch does for 0-d tensors, so the values agree.


# -- line search ------------------------------------------------------------------------------

def _cubic_minimizer(x1, f1, g1, x2, f2, g2, bounds=None):
    """Where the cubic with values f1, f2 and slopes g1, g2 at x1, x2 has its minimum, clamped
    to ``bounds`` (default: between x1 and x2); the middle of the bounds when the cubic has no
    minimum (negative discriminant).

    With d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2) and d2 = sqrt(d1^2 - g1 g2), and (r, g_r) the
    right end, (l, g_l) the left one: x* = r - (r - l) (g_r + d2 - d1) / (g_r - g_l + 2 d2).
    (d1 and d1^2 - g1 g2 do not depend on the order of the two points.)"""
    if bounds is None:
        bounds = (x1, x2) if x1 <= x2 else (x2, x1)
    low, high = bounds
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    discriminant = d1 ** 2 - g1 * g2
    if not discriminant >= 0:  # also when NaN
        return (low + high) / 2.0
    d2 = np.sqrt(discriminant)
    (left, g_left), (right, g_right) = ((x1, g1), (x2, g2)) if x1 <= x2 else ((x2, g2), (x1, g1))
    x_star = right - (right - left) * ((g_right + d2 - d1) / (g_right - g_left + 2 * d2))
    return min(max(x_star, low), high)


class _Probe(NamedTuple):
    """One evaluation along the search direction: step t, loss f, gradient g, slope g.d."""
    t: float
    f: float
    g: np.ndarray
    slope: float


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """A step t along ``d`` that satisfies the strong Wolfe conditions,
        sufficient decrease  f(t) <= f(0) + c1 t g(0).d,
        curvature            |g(t).d| <= -c2 g(0).d,
    within ``max_ls`` further evaluations. First an interval that must contain such a step is
    bracketed (extrapolating with cubic steps while the loss still falls); then the bracket is
    shrunk by cubic interpolation ("zoom"), keeping trial points 10% away from its ends when
    two trials in a row land close to one.

    ``obj_func(x, t, d)`` returns the loss and flat gradient at x + t d. Returns the loss,
    gradient and step of the best point found, and the number of evaluations."""
    scale = np.abs(d).max()
    origin = _Probe(0, f, g.copy(), gtd)

    def probe(step) -> _Probe:
        f_t, g_t = obj_func(x, step, d)
        return _Probe(step, f_t, g_t, g_t.dot(d))

    def decreases_enough(p: _Probe) -> bool:
        return not p.f > (f + c1 * p.t * gtd)

    def flat_enough(p: _Probe) -> bool:
        return abs(p.slope) <= -c2 * gtd

    trial = probe(t)
    evals = 1
    prev = origin
    bracket, done = None, False
    ls_iter = 0
    while ls_iter < max_ls:
        if not decreases_enough(trial) or (ls_iter > 1 and trial.f >= prev.f):
            bracket = [prev, trial]
            break
        if flat_enough(trial):
            bracket, done = [trial], True
            break
        if trial.slope >= 0:  # the loss rises past trial.t: a minimum lies behind
            bracket = [prev, trial]
            break
        # still falling: extrapolate, between 1.01 and 10 times as far
        span = (trial.t + 0.01 * (trial.t - prev.t), trial.t * 10)
        step = _cubic_minimizer(prev.t, prev.f, prev.slope, trial.t, trial.f, trial.slope,
                                bounds=span)
        prev, trial = trial, probe(step)
        evals += 1
        ls_iter += 1
    if ls_iter == max_ls:  # out of evaluations: the better of the start and the last trial
        bracket = [origin, trial]

    def ordered():
        """(index of the lower-loss end, index of the other)."""
        return (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)

    lo, hi = ordered()
    near_end_before = False
    while not done and ls_iter < max_ls:
        if abs(bracket[1].t - bracket[0].t) * scale < tolerance_change:
            break
        a, b = bracket
        step = _cubic_minimizer(a.t, a.f, a.slope, b.t, b.f, b.slope)
        left, right = min(a.t, b.t), max(a.t, b.t)
        margin = 0.1 * (right - left)
        if min(right - step, step - left) < margin:
            # too close to an end: allowed once, pulled 10% inside the second time (or at
            # once when the step falls on or outside an end)
            if near_end_before or step >= right or step <= left:
                step = right - margin if abs(step - right) < abs(step - left) else left + margin
                near_end_before = False
            else:
                near_end_before = True
        else:
            near_end_before = False

        trial = probe(step)
        evals += 1
        ls_iter += 1
        if not decreases_enough(trial) or trial.f >= bracket[lo].f:
            bracket[hi] = trial
            lo, hi = ordered()
        else:
            if flat_enough(trial):
                done = True
            elif trial.slope * (bracket[hi].t - bracket[lo].t) >= 0:
                bracket[hi] = bracket[lo]
            bracket[lo] = trial

    best = bracket[lo]
    return best.f, best.g, best.t, evals


# -- state ------------------------------------------------------------------------------------

def _to_state(x):
    """Arrays and NumPy scalars as our Tensors (torch's state holds tensors). Arrays are
    wrapped, not copied: the next step() continues with the very same arrays (it updates
    ``prev_flat_grad`` in place), as torch does with its tensors."""
    if isinstance(x, list):
        return [_to_state(v) for v in x]
    if isinstance(x, np.generic):
        x = np.array(x)
    return _new_tensor(x) if isinstance(x, np.ndarray) else x


def _from_state(x):
    if isinstance(x, list):
        return [_from_state(v) for v in x]
    if isinstance(x, Tensor):
        return x._data[()] if x._data.ndim == 0 else x._data
    return x


_STATE_ARRAYS = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "al")


class LBFGS(Optimizer):
    r"""L-BFGS (``torch.optim.LBFGS``, after minFunc). One ``step(closure)`` runs up to
    ``max_iter`` iterations; ``closure`` clears the gradients, computes the loss, calls
    ``backward`` and returns the loss.

    With the flat gradient g_k and the last curvature pairs s_i = theta_{i+1} - theta_i,
    y_i = g_{i+1} - g_i (at most ``history_size``; a pair is kept only if y_i.s_i > 1e-10),
    rho_i = 1 / y_i.s_i, one iteration is::

        q = -g_k
        for i newest .. oldest:   a_i = rho_i s_i.q;   q = q - a_i y_i
        r = gamma q               gamma = y.s / y.y of the newest pair (H_diag)
        for i oldest .. newest:   b_i = rho_i y_i.r;   r = r + (a_i - b_i) s_i
        d_k = r                   (= -H_k g_k, the two-loop recursion)
        t = lr, or min(1, 1 / ||g_1||_1) lr at the very first iteration,
            or from a strong-Wolfe line search (line_search_fn='strong_wolfe')
        theta_{k+1} = theta_k + t d_k

    It stops when max|g| <= tolerance_grad, when max|t d| or the change in loss falls below
    tolerance_change, after ``max_iter`` iterations or ``max_eval`` evaluations.

    State, on the first parameter as in torch: ``func_evals``, ``n_iter``, ``d``, ``t``,
    ``old_dirs`` (the y_i), ``old_stps`` (the s_i), ``ro``, ``H_diag``, ``prev_flat_grad``,
    ``prev_loss``, ``al``. One parameter group only.
    """

    def __init__(self, params, lr: float | Tensor = 1, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        _check_options(lr=lr)
        defaults = dict(lr=lr, max_iter=max_iter,
                        max_eval=max_iter * 5 // 4 if max_eval is None else max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        self._numel_cache = None

    def _numel(self) -> int:
        if self._numel_cache is None:
            self._numel_cache = sum(p.numel() for p in self._params)
        return self._numel_cache

    def _gather_flat_grad(self) -> np.ndarray:
        """All gradients in one vector (zeros for a parameter without one)."""
        return np.concatenate([p._grad._data.reshape(-1) if p._grad is not None
                               else np.zeros(p._data.size, p._data.dtype)
                               for p in self._params])

    def _add_grad(self, step_size, update: np.ndarray) -> None:
        """theta += step_size * update, parameter by parameter, the product going through one
        scratch array (no fresh temporary per parameter)."""
        scratch = np.empty(max(p._data.size for p in self._params), update.dtype)
        start = 0
        for p in self._params:
            n, shape = p._data.size, p._data.shape
            piece = update[start:start + n].reshape(shape)
            p._data += np.multiply(piece, step_size, out=scratch[:n].reshape(shape))
            p._bump_version()
            start += n

    def _clone_param(self) -> list:
        return [p._data.copy() for p in self._params]

    def _set_param(self, params_data: list) -> None:
        for p, saved in zip(self._params, params_data):
            np.copyto(p._data, saved)
            p._bump_version()

    def _directional_evaluate(self, closure, x, t, d):
        """Loss and flat gradient at x + t d; the parameters are put back to x after."""
        self._add_grad(t, d)
        loss = float(as_user(closure))
        grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, grad

    @staticmethod
    def _two_loop(grad, old_dirs, old_stps, ro, h_diag, al) -> np.ndarray:
        """d = -H g by the two-loop recursion (see the class docstring); ``al`` receives the
        a_i. torch's fused add_(v, alpha=c) becomes a product into one scratch array and a
        sum: a fresh temporary per history entry cost more than the arithmetic."""
        q = np.negative(grad)
        scratch = np.empty_like(q)
        for i in reversed(range(len(old_dirs))):
            al[i] = old_stps[i].dot(q) * ro[i]
            q += np.multiply(old_dirs[i], -al[i], out=scratch)
        r = q * h_diag
        for i in range(len(old_dirs)):
            b_i = old_dirs[i].dot(r) * ro[i]
            r += np.multiply(old_stps[i], al[i] - b_i, out=scratch)
        return r

    def step(self, closure):
        """Up to ``max_iter`` iterations. Returns the loss of the first closure call (before
        any update), as torch does."""
        group = self.param_groups[0]
        lr = _get_value(group["lr"])  # an int lr keeps t an int, as in torch
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        def evaluate():
            with enable_grad():
                return as_user(closure)

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        first_loss = evaluate()
        loss = float(first_loss)
        evals = 1
        state["func_evals"] += 1
        grad = self._gather_flat_grad()
        if np.abs(grad).max() <= tol_grad:  # already at a stationary point
            return first_loss

        d, t, old_dirs, old_stps, ro, h_diag, prev_grad, al = (
            _from_state(state.get(key)) for key in _STATE_ARRAYS)
        prev_loss = state.get("prev_loss")

        for it in range(1, max_iter + 1):
            state["n_iter"] += 1
            first_ever = state["n_iter"] == 1
            if first_ever:
                d = np.negative(grad)
                old_dirs, old_stps, ro, h_diag = [], [], [], 1
            else:
                y, s = grad - prev_grad, d * t
                ys = y.dot(s)
                if ys > 1e-10:  # a pair with positive curvature: remember it
                    if len(old_dirs) == history_size:
                        del old_dirs[0], old_stps[0], ro[0]
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                if al is None:
                    al = [None] * history_size
                d = self._two_loop(grad, old_dirs, old_stps, ro, h_diag, al)

            if prev_grad is None:
                prev_grad = grad.copy()
            else:
                np.copyto(prev_grad, grad)
            prev_loss = loss

            t = min(1.0, 1.0 / np.abs(grad).sum()) * lr if first_ever else lr
            gtd = grad.dot(d)
            if gtd > -tol_change:  # d does not go downhill
                break

            used = 0
            if group["line_search_fn"] is not None:
                if group["line_search_fn"] != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                start = self._clone_param()
                loss, grad, t, used = _strong_wolfe(
                    lambda x, step, d: self._directional_evaluate(evaluate, x, step, d),
                    start, t, d, loss, grad, gtd, max_ls=max_eval - evals)
                self._add_grad(t, d)
                converged = np.abs(grad).max() <= tol_grad
            else:
                self._add_grad(t, d)
                if it != max_iter:
                    # after the last iteration the next step() evaluates anyway
                    loss = float(evaluate())
                    grad = self._gather_flat_grad()
                    converged = np.abs(grad).max() <= tol_grad
                    used = 1
            evals += used
            state["func_evals"] += used

            if (it == max_iter or evals >= max_eval or converged
                    or np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change):
                break

        for key, value in zip(_STATE_ARRAYS[:-1],
                              (d, t, old_dirs, old_stps, ro, h_diag, prev_grad)):
            state[key] = _to_state(value)
        state["prev_loss"] = prev_loss
        if al is not None:
            state["al"] = _to_state(al)
        return first_loss
