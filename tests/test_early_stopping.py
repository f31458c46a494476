"""EarlyStopping (torch has none): fixed metric sequences with hand-computed decisions, the
deep copy of the best weights, state_dict round trips, and a real training loop together with
ReduceLROnPlateau."""
import io
import math

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from minitorch_ref.utils.early_stopping import EarlyStopping


def _run(stopper, values):
    return [stopper.step(v) for v in values]


# (mode, patience, min_delta, values, expected step() results, best, best_epoch, stopped_epoch)
CASES = [
    # a loss that improves twice, then stalls for 2 epochs: stop on the 2nd bad epoch
    ("min", 2, 0.0, [1.0, 0.9, 0.95, 0.91, 0.92], [0, 0, 0, 1], 0.9, 1, 3),
    # equal to best is not an improvement
    ("min", 1, 0.0, [1.0, 1.0], [0, 1], 1.0, 0, 1),
    # min_delta: 0.75 is not below 1.0 - 0.25 (strict), 0.5 is
    ("min", 2, 0.25, [1.0, 0.75, 0.5, 0.3, 0.25], [0, 0, 0, 0, 1], 0.5, 2, 4),
    # the counter resets on every improvement
    ("min", 2, 0.0, [5.0, 6.0, 4.0, 7.0, 3.0, 8.0, 9.0], [0, 0, 0, 0, 0, 0, 1], 3.0, 4, 6),
    # mode max, with an exact tie counted as bad
    ("max", 2, 0.0, [0.5, 0.625, 0.625, 0.5, 0.75], [0, 0, 0, 1], 0.625, 1, 3),
    ("max", 1, 0.125, [0.5, 0.625, 0.75], [0, 1], 0.5, 0, 1),
    # patience 0: the first epoch without improvement stops
    ("min", 0, 0.0, [3.0, 2.0, 2.0], [0, 0, 1], 2.0, 1, 2),
    # never stalls long enough
    ("min", 3, 0.0, [4.0, 5.0, 5.0, 3.0, 4.0, 4.0, 2.0], [0] * 7, 2.0, 6, None),
]


@pytest.mark.parametrize("mode,patience,min_delta,values,expected,best,best_epoch,stopped", CASES)
def test_fixed_sequences(mode, patience, min_delta, values, expected, best, best_epoch, stopped):
    es = EarlyStopping(mode=mode, patience=patience, min_delta=min_delta)
    got = []
    for v in values:
        got.append(es.step(v))
        if got[-1]:
            break
    assert got == [bool(e) for e in expected]
    assert es.best == best and es.best_epoch == best_epoch and es.stopped_epoch == stopped
    assert es.should_stop == (stopped is not None)


def test_counters_epoch_by_epoch():
    es = EarlyStopping(patience=3)
    seen = []
    for v in [2.0, 1.0, 1.5, 1.2, 0.5, 0.7]:
        es(v)  # __call__ is step
        seen.append((es.best, es.best_epoch, es.num_bad_epochs, es.last_epoch))
    assert seen == [(2.0, 0, 0, 0), (1.0, 1, 0, 1), (1.0, 1, 1, 2), (1.0, 1, 2, 3),
                    (0.5, 4, 0, 4), (0.5, 4, 1, 5)]


def test_keeps_saying_stop_after_stopping():
    es = EarlyStopping(patience=1)
    assert _run(es, [1.0, 2.0, 0.1, 0.05]) == [False, True, True, True]
    assert es.stopped_epoch == 1  # the first stop is the one recorded


def test_accepts_one_element_tensors():
    es = EarlyStopping(mode="max", patience=1)
    assert _run(es, [mt.tensor(0.5), mt.tensor([0.25])]) == [False, True]
    assert es.best == 0.5


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_value_stops_at_once(bad):
    es = EarlyStopping(patience=5)
    assert _run(es, [1.0, bad]) == [False, True]
    assert es.stopped_epoch == 1 and es.best == 1.0


def test_non_finite_counts_as_bad_when_not_checked():
    es = EarlyStopping(patience=2, check_finite=False)
    assert _run(es, [1.0, math.nan, math.nan]) == [False, False, True]


@pytest.mark.parametrize("kwargs,match", [
    (dict(mode="avg"), "mode avg is unknown"),
    (dict(patience=-1), "patience should be a non-negative integer"),
    (dict(patience=1.5), "patience should be a non-negative integer"),
    (dict(min_delta=-0.1), "min_delta should be >= 0"),
    (dict(min_delta=math.nan), "min_delta should be >= 0"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs)


def test_restoring_needs_a_model():
    with pytest.raises(ValueError, match="needs the model"):
        EarlyStopping(restore_best_weights=True).step(1.0)
    model = _ArrayModel()
    es = EarlyStopping(patience=1, restore_best_weights=True)
    assert not es.step(1.0, model)
    model.w += 3
    assert es.step(2.0)  # the model from the first call is remembered
    assert model.w.tolist() == [0.0, 0.0, 0.0]


class _ArrayModel:
    """The state_dict protocol on plain arrays: enough to check copying and restoring."""

    def __init__(self):
        self.w = np.zeros(3)

    def state_dict(self):
        return {"w": self.w}  # the live array, as a module's state_dict shares its tensors

    def load_state_dict(self, sd):
        self.w[...] = sd["w"]


def test_restore_best_weights_uses_a_deep_copy():
    model = _ArrayModel()
    es = EarlyStopping(patience=2, restore_best_weights=True, model=model)
    for epoch, loss in enumerate([3.0, 1.0, 2.0, 2.5]):
        model.w += 1.0  # "training" changes the weights in place every epoch
        stop = es.step(loss)
        if epoch == 1:
            np.testing.assert_array_equal(es.best_state["w"], [2.0, 2.0, 2.0])
    assert stop and es.best_epoch == 1
    np.testing.assert_array_equal(model.w, [2.0, 2.0, 2.0])  # weights of epoch 1 are back


def test_restore_best_on_demand_and_without_improvement():
    model = _ArrayModel()
    es = EarlyStopping(patience=5, restore_best_weights=True, model=model)
    assert not es.restore_best()
    _run(es, [1.0])
    model.w += 5
    assert es.restore_best() and model.w.tolist() == [0.0, 0.0, 0.0]


def test_state_dict_resumes_identically():
    values = [5.0, 4.0, 4.5, 4.2, 3.0, 3.5, 3.4, 3.3, 3.9]
    full = EarlyStopping(patience=3)
    reference = _run(full, values)
    first = EarlyStopping(patience=3)
    _run(first, values[:4])
    # through a checkpoint file, as a training script would keep it
    buf = io.BytesIO()
    mt.save({"early_stopping": first.state_dict()}, buf)
    buf.seek(0)
    resumed = EarlyStopping(patience=3)
    resumed.load_state_dict(mt.load(buf)["early_stopping"])
    assert reference[4:] == _run(resumed, values[4:])
    assert resumed.state_dict() == full.state_dict()


# -- in a real training loop, with ReduceLROnPlateau ----------------------------------------------

def _regression(seed=0):
    rng = np.random.default_rng(seed)
    xtr = rng.uniform(-3, 3, (24, 1)).astype(np.float32)
    ytr = (np.sin(xtr) + 0.3 * rng.standard_normal((24, 1))).astype(np.float32)
    xva = rng.uniform(-3, 3, (64, 1)).astype(np.float32)
    return xtr, ytr, xva, np.sin(xva).astype(np.float32)


def _fit(T, es_patience, plateau_patience, epochs=80, seed=0):
    """Mini-batch Adam on a small noisy regression (it overfits): validation loss drives both
    ReduceLROnPlateau and EarlyStopping. Returns the record of the run."""
    xt, yt, xv, yv = map(T.tensor, _regression(seed))
    T.manual_seed(seed)
    model = T.nn.Sequential(T.nn.Linear(1, 64), T.nn.Tanh(), T.nn.Linear(64, 64), T.nn.Tanh(),
                            T.nn.Linear(64, 1))
    opt = T.optim.Adam(model.parameters(), lr=0.02)
    sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=plateau_patience, factor=0.5)
    es = EarlyStopping(patience=es_patience, restore_best_weights=True, model=model)
    vals, lrs, snapshots = [], [], []
    for _ in range(epochs):
        for i in range(0, 24, 8):
            opt.zero_grad()
            T.nn.functional.mse_loss(model(xt[i:i + 8]), yt[i:i + 8]).backward()
            opt.step()
        with T.no_grad():
            v = T.nn.functional.mse_loss(model(xv), yv).item()
        vals.append(v)
        snapshots.append({k: t.detach().numpy().copy() for k, t in model.state_dict().items()})
        sched.step(v)
        lrs.append(opt.param_groups[0]["lr"])
        if es.step(v):
            break
    final = {k: t.detach().numpy().copy() for k, t in model.state_dict().items()}
    return dict(vals=vals, lrs=lrs, snapshots=snapshots, final=final, es=es)


def _reference_stop(vals, patience):
    """The definition, independently: (best_epoch, stopped_epoch) for mode 'min', min_delta 0."""
    best, best_epoch, bad = math.inf, None, 0
    for epoch, v in enumerate(vals):
        if v < best:
            best, best_epoch, bad = v, epoch, 0
        else:
            bad += 1
            if bad >= patience:
                return best_epoch, epoch
    return best_epoch, None


@pytest.fixture(scope="module")
def runs():
    return {T: _fit(T, es_patience=6, plateau_patience=2) for T in (torch, mt)}


def test_loop_matches_torch_and_the_definition(runs):
    ours, theirs = runs[mt], runs[torch]
    np.testing.assert_allclose(ours["vals"], theirs["vals"], rtol=1e-5, atol=1e-6)
    assert ours["lrs"] == theirs["lrs"]
    assert ours["es"].stopped_epoch == theirs["es"].stopped_epoch is not None
    best_epoch, stopped = _reference_stop(ours["vals"], 6)
    assert (ours["es"].best_epoch, ours["es"].stopped_epoch) == (best_epoch, stopped)
    assert stopped == len(ours["vals"]) - 1 < 79  # it stopped early


def test_plateau_reduces_the_lr_before_early_stopping_triggers(runs):
    r = runs[mt]
    first_cut = next(i for i, lr in enumerate(r["lrs"]) if lr < 0.02)
    assert first_cut < r["es"].stopped_epoch
    # plateau patience 2 acts on the 3rd bad epoch, early stopping (patience 6) on the 6th
    bad = 0
    best = math.inf
    for epoch, v in enumerate(r["vals"]):
        bad = 0 if v < best * (1 - 1e-4) else bad + 1  # the scheduler's relative threshold
        best = min(best, v)
        if epoch == first_cut:
            assert bad == 3
            break


def test_best_weights_restored_after_stopping(runs):
    for T, r in runs.items():
        best = r["snapshots"][r["es"].best_epoch]
        assert r["es"].best_epoch < r["es"].stopped_epoch
        for k in best:
            np.testing.assert_array_equal(r["final"][k], best[k], err_msg=f"{T.__name__} {k}")
        # the copy was a deep one: the last epoch's weights differ from the restored ones
        assert any(not np.array_equal(r["snapshots"][-1][k], best[k]) for k in best)


def test_smaller_early_stopping_patience_stops_before_any_lr_cut():
    r = _fit(mt, es_patience=2, plateau_patience=4)
    assert r["es"].should_stop
    assert set(r["lrs"]) == {0.02}
