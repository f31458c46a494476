"""Loss modules against torch: repr, buffers and state_dict, forward values and gradients through
the module with its options, the legacy constructor flags, dtype conversion of the buffers, and
constructor errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises

pytestmark = pytest.mark.filterwarnings("ignore:reduction. .mean. divides")


def randn(*shape, seed=0, dtype=np.float64):
    return np.asarray(np.random.default_rng(seed).standard_normal(shape).astype(dtype))


def uniform(*shape, seed=0, low=0.0, high=1.0, dtype=np.float64):
    return np.asarray(np.random.default_rng(seed).uniform(low, high, shape).astype(dtype))


W5 = uniform(5, seed=9, low=0.2, high=2.0)
LABELS = np.array([0, 3, 4, 1])
SIGNS = np.array([1.0, -1.0, -1.0, 1.0])

# name, constructor kwargs (arrays become tensors of each library), forward inputs, and the
# indices of the forward inputs that are constants (no grad; targets torch does not
# differentiate)
CASES = [
    ("L1Loss", {}, [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("L1Loss", dict(reduction="sum"), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("MSELoss", dict(reduction="none"), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("HuberLoss", dict(delta=0.5), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("HuberLoss", dict(reduction="sum", delta=2), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("SmoothL1Loss", dict(beta=0.5), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("SmoothL1Loss", dict(beta=0.0, reduction="none"), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("NLLLoss", {}, [randn(4, 5), LABELS], (1,)),
    ("NLLLoss", dict(weight=W5, ignore_index=3, reduction="sum"), [randn(4, 5), LABELS], (1,)),
    ("CrossEntropyLoss", {}, [randn(4, 5), LABELS], (1,)),
    ("CrossEntropyLoss", dict(weight=W5, ignore_index=4, label_smoothing=0.2),
     [randn(4, 5), LABELS], (1,)),
    ("CrossEntropyLoss", dict(weight=W5, label_smoothing=0.1, reduction="none"),
     [randn(4, 5, 2), np.stack([LABELS, LABELS[::-1]], axis=1)], (1,)),
    ("CrossEntropyLoss", dict(label_smoothing=0.3),
     [randn(4, 5), uniform(4, 5, seed=2) / uniform(4, 5, seed=2).sum(1, keepdims=True)], ()),
    ("BCELoss", {}, [uniform(4, 5, low=0.05, high=0.95), uniform(4, 5, seed=1)], ()),
    ("BCELoss", dict(weight=W5, reduction="sum"),
     [uniform(4, 5, low=0.05, high=0.95), uniform(4, 5, seed=1)], ()),
    ("BCEWithLogitsLoss", dict(pos_weight=W5), [randn(4, 5), uniform(4, 5, seed=1)], ()),
    ("BCEWithLogitsLoss", dict(weight=uniform(4, 1, seed=3), pos_weight=W5, reduction="none"),
     [randn(4, 5), uniform(4, 5, seed=1)], ()),
    ("KLDivLoss", dict(reduction="batchmean"), [randn(4, 5), uniform(4, 5, seed=1)], ()),
    ("KLDivLoss", dict(log_target=True), [randn(4, 5), randn(4, 5, seed=1)], ()),
    ("PoissonNLLLoss", {}, [randn(4, 5), np.floor(uniform(4, 5, seed=1, high=4))], ()),
    ("PoissonNLLLoss", dict(log_input=False, full=True, eps=1e-4),
     [uniform(4, 5, high=3), np.floor(uniform(4, 5, seed=1, high=4))], ()),
    ("GaussianNLLLoss", {}, [randn(4, 5), randn(4, 5, seed=1), uniform(4, 1, low=0.1)], ()),
    ("GaussianNLLLoss", dict(full=True, eps=0.2, reduction="sum"),
     [randn(4, 5), randn(4, 5, seed=1), uniform(4, low=0.0)], ()),
    ("HingeEmbeddingLoss", dict(margin=0.5), [randn(4), SIGNS], (1,)),
    ("MultiLabelMarginLoss", {},
     [randn(4, 5), np.array([[0, 1, -1, 0, 0], [4, -1, 1, 1, 1], [2, 3, 4, 0, 1],
                             [-1, 0, 0, 0, 0]])], (1,)),
    ("SoftMarginLoss", {}, [randn(4), SIGNS], (1,)),
    ("MultiLabelSoftMarginLoss", dict(weight=W5),
     [randn(4, 5), (uniform(4, 5, seed=1) > 0.5).astype(np.float64)], ()),
    ("CosineEmbeddingLoss", dict(margin=0.2), [randn(4, 5), randn(4, 5, seed=1), SIGNS], (2,)),
    ("MarginRankingLoss", dict(margin=0.1), [randn(4), randn(4, seed=1), SIGNS], ()),
    ("MultiMarginLoss", dict(p=2, margin=0.7, weight=W5), [randn(4, 5), LABELS], (1,)),
    ("TripletMarginLoss", dict(margin=0.5, p=1.0, swap=True),
     [randn(4, 5), randn(4, 5, seed=1), randn(4, 5, seed=2)], ()),
]


def _build(T, name, kwargs):
    kw = {k: T.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    return getattr(T.nn, name)(**kw)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_module_forward_and_gradients(case):
    name, kwargs, inputs, constants = case

    def run(T, *args):
        args = list(args)
        for i in constants:
            args[i] = T.tensor(inputs[i])
        return _build(T, name, kwargs)(*args)

    args = [None if i in constants else a for i, a in enumerate(inputs)]
    check(run, *args)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_module_repr_and_state_dict(case):
    name, kwargs, _, _ = case
    ours, theirs = _build(mt, name, kwargs), _build(torch, name, kwargs)
    assert repr(ours) == repr(theirs)
    assert ours.reduction == theirs.reduction
    sd_o, sd_t = ours.state_dict(), theirs.state_dict()
    assert list(sd_o) == list(sd_t)
    for k in sd_t:
        assert_close(sd_o[k], sd_t[k], k)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.parameters()) == [] == list(theirs.parameters())


ALL_LOSSES = ["L1Loss", "MSELoss", "HuberLoss", "SmoothL1Loss", "NLLLoss", "CrossEntropyLoss",
              "BCELoss", "BCEWithLogitsLoss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss",
              "HingeEmbeddingLoss", "MultiLabelMarginLoss", "SoftMarginLoss",
              "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
              "MultiMarginLoss", "TripletMarginLoss"]


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_default_repr_attributes_and_training_flag(name):
    ours, theirs = getattr(mt.nn, name)(), getattr(torch.nn, name)()
    assert repr(ours) == repr(theirs) == f"{name}()"
    public = {k: v for k, v in vars(theirs).items() if not k.startswith("_") and k != "training"}
    for k, v in public.items():
        assert getattr(ours, k) == v, k
    assert ours.training and not ours.eval().training


@pytest.mark.parametrize("name", ["L1Loss", "NLLLoss", "CrossEntropyLoss", "BCELoss",
                                  "KLDivLoss", "MultiMarginLoss", "SoftMarginLoss"])
@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False),
                                    dict(size_average=True, reduce=False)])
def test_legacy_constructor_flags(name, legacy):
    seen = {}
    for T in LIBS:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = getattr(T.nn, name)(**legacy)
        seen[T] = (m.reduction, [str(x.message) for x in w], [x.category for x in w])
    assert seen[mt] == seen[torch]


def test_weight_buffer_follows_dtype_conversion():
    w = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    x, t = randn(4, 3), np.array([0, 1, 2, 1])
    outs = {}
    for T in LIBS:
        m = T.nn.CrossEntropyLoss(weight=T.tensor(w)).double()
        assert m.weight.dtype == T.float64
        outs[T] = m(T.tensor(x), T.tensor(t))
    assert_close(outs[mt], outs[torch])


def test_buffers_are_replaceable_and_none_weight_is_registered():
    for T in LIBS:
        m = T.nn.BCEWithLogitsLoss()
        assert m.weight is None and m.pos_weight is None
        assert "weight" in m._buffers and "pos_weight" in m._buffers
        m.pos_weight = T.tensor([2.0, 3.0])
        assert [n for n, _ in m.named_buffers()] == ["pos_weight"]
    check(lambda T, x, y: (lambda m: (setattr(m, "pos_weight", T.tensor([2.0, 3.0])), m(x, y))[1])(
        T.nn.BCEWithLogitsLoss()), randn(4, 2), uniform(4, 2))


def test_nll_loss2d_is_deprecated_alias():
    seen = {}
    for T in LIBS:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = T.nn.NLLLoss2d(ignore_index=1)
        seen[T] = ([(x.category, str(x.message)) for x in w], repr(m), m.ignore_index)
    assert seen[mt] == seen[torch]
    assert seen[torch][0][0][0] is FutureWarning


def test_constructor_errors():
    check_raises(lambda T: T.nn.HuberLoss(delta="1"))
    check_raises(lambda T: T.nn.MultiMarginLoss(p=3))
    check_raises(lambda T: T.nn.MultiMarginLoss(weight=T.ones(2, 3)))
    check_raises(lambda T: T.nn.TripletMarginLoss(margin=0.0))
    check_raises(lambda T: T.nn.TripletMarginLoss(margin=-1))
    check_raises(lambda T: T.nn.MSELoss(reduction="avg")(T.ones(2), T.ones(2)))
    check_raises(lambda T: T.nn.CrossEntropyLoss(reduction="batchmean")(
        T.ones(2, 3), T.tensor([0, 1])))


def test_loss_in_a_training_step():
    """A Linear layer's parameter gradients through CrossEntropyLoss, weights copied from
    torch's layer."""
    x = randn(6, 4, dtype=np.float32)
    t = np.array([0, 1, 2, 2, 1, 0])
    torch.manual_seed(0)
    lin_t = torch.nn.Linear(4, 3)
    lin_o = mt.nn.Linear(4, 3)
    lin_o.load_state_dict({k: mt.tensor(v.detach().numpy()) for k, v in
                           lin_t.state_dict().items()})
    for T, lin in ((torch, lin_t), (mt, lin_o)):
        loss = T.nn.CrossEntropyLoss(label_smoothing=0.1)(lin(T.tensor(x)), T.tensor(t))
        loss.backward()
    assert_close(lin_o.weight.grad, lin_t.weight.grad)
    assert_close(lin_o.bias.grad, lin_t.bias.grad)


@pytest.mark.parametrize("kind", ["default", "module", "function"])
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_with_distance_module(kind, swap):
    """The default distance is a child PairwiseDistance module (shown in the repr, no state);
    a plain function is not a child."""
    def build(T):
        dist = {"default": None, "module": T.nn.PairwiseDistance(p=1.0),
                "function": lambda a, b: (a - b).abs().amax(-1)}[kind]
        return T.nn.TripletMarginWithDistanceLoss(distance_function=dist, margin=0.8, swap=swap,
                                                 reduction="sum")
    ours, theirs = build(mt), build(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == []
    check(lambda T, a, p, n: build(T)(a, p, n), randn(5, 3), randn(5, 3, seed=1),
          randn(5, 3, seed=2))
    check_raises(lambda T: T.nn.TripletMarginWithDistanceLoss(margin=0.0))
