"""minitorch_ref.nn.functional holds exactly torch.nn.functional's public names that we implement,
with torch's signatures: nothing of ours leaks in (kernels, helpers, topic modules), nothing is
lost, and a missing torch function is one we know we lack."""
import inspect

import torch.nn.functional as TF

import minitorch_ref.nn.functional as F

# torch.nn.functional's public functions minitorch_ref does not implement (yet)
NOT_IMPLEMENTED = {
    "conv_tbc", "fractional_max_pool2d", "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d", "fractional_max_pool3d_with_indices", "grouped_mm",
    "linear_cross_entropy", "max_unpool3d", "scaled_grouped_mm", "scaled_mm",
}
# torch's own helpers and typing names, which are not part of what it offers
TORCH_INTERNALS = {
    "Optional", "assert_int_or_pair", "boolean_dispatch", "handle_torch_function",
    "has_torch_function", "has_torch_function_unary", "has_torch_function_variadic",
}


def _public(module) -> set:
    return {n for n in vars(module) if not n.startswith("_")}


def test_every_name_is_torchs():
    assert _public(F) - set(dir(TF)) == set()


def test_no_torch_function_is_lost():
    theirs = {n for n in dir(TF) if not n.startswith("_") and inspect.isroutine(getattr(TF, n))}
    assert theirs - _public(F) - TORCH_INTERNALS == NOT_IMPLEMENTED


def test_signatures_are_torchs():
    """Parameter names, kinds and defaults, wherever torch's signature can be read (its
    max_pool/adaptive_max_pool dispatchers take ``*args, **kwargs``)."""
    checked = 0
    for name in sorted(_public(F)):
        ours, theirs = getattr(F, name), getattr(TF, name)
        if not inspect.isfunction(ours):
            continue
        try:
            expected = inspect.signature(theirs)
        except (TypeError, ValueError):
            continue
        if [p.kind for p in expected.parameters.values()] == [
                inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]:
            continue
        got = inspect.signature(ours)
        assert [(p.name, p.kind, p.default) for p in got.parameters.values()] == \
            [(p.name, p.kind, p.default) for p in expected.parameters.values()], name
        checked += 1
    assert checked > 70


def test_top_level_softmax_is_torchs():
    """torch.softmax / torch.log_softmax (dim required, out=) live beside F.softmax's kernel."""
    import minitorch_ref

    for name in ("softmax", "log_softmax"):
        ours = inspect.signature(getattr(minitorch_ref, name))
        assert list(ours.parameters) == ["input", "dim", "dtype", "out"]
        assert getattr(minitorch_ref, name) is not getattr(F, name)
