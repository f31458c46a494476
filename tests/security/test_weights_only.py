"""Class 1, code execution: every way of calling ``load`` ends in the restricted unpickler
unless ``weights_only=False`` is explicit (or torch's own opt-out variable is set), and the
errors and warnings are torch's."""
import io
import os
import pickle
import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from attacks import archive, call, loads, pickle_of


@pytest.fixture
def marker(tmp_path):
    """A file that exists only if the payload ran."""
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "the payload ran"


def _exec_payload(marker) -> bytes:
    return archive(pickle_of(call("builtins", "exec", f"open({str(marker)!r}, 'w').close()")))


def _fraction_file() -> bytes:
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2), "frac": Fraction(1, 3)}, buf)
    return buf.getvalue()


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", raising=False)
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", raising=False)
    return monkeypatch


# Spellings torch also reads as "restricted": both libraries refuse, with the same message.
SAME_AS_TORCH = {
    "default": {}, "None": {"weights_only": None}, "True": {"weights_only": True},
    "truthy str": {"weights_only": "no"}, "np.True_": {"weights_only": np.True_},
}


@pytest.mark.parametrize("kw", list(SAME_AS_TORCH.values()), ids=list(SAME_AS_TORCH))
def test_restricted_spellings_refuse_code(clean_env, marker, kw):
    blob = _exec_payload(marker)
    with pytest.raises(pickle.UnpicklingError) as ours:
        loads(mt, blob, **kw)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        loads(torch, blob, **kw)
    assert str(ours.value) == str(theirs.value)


# Spellings torch reads as "unrestricted" but that are not an explicit False: here they stay
# restricted (torch would run the payload, so it is not called).
STRICTER_THAN_TORCH = {
    "pickle_module kw": ((), {"pickle_module": pickle}),
    "pickle_module positional": ((None, pickle), {}),
    "empty str": ((), {"weights_only": ""}),
    "empty list": ((), {"weights_only": []}),
    "0.0": ((), {"weights_only": 0.0}),
}


@pytest.mark.parametrize("args,kw", list(STRICTER_THAN_TORCH.values()),
                         ids=list(STRICTER_THAN_TORCH))
def test_other_spellings_stay_restricted(clean_env, marker, args, kw):
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL exec was not an allowed global"):
        mt.load(io.BytesIO(_exec_payload(marker)), *args, **kw)


def test_pickle_module_still_loads_weights(clean_env):
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    out = mt.load(io.BytesIO(buf.getvalue()), None, pickle)
    assert out["w"].tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("false", [False, 0, np.False_])
def test_only_an_explicit_false_unpickles_arbitrary_objects(clean_env, false):
    blob = _fraction_file()
    assert loads(mt, blob, weights_only=false)["frac"] == Fraction(1, 3)
    assert loads(torch, blob, weights_only=false)["frac"] == Fraction(1, 3)


@pytest.mark.parametrize("value", ["1", "true", "YES", "y"])
def test_force_weights_only_env_overrides_false(clean_env, marker, value):
    clean_env.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", value)
    blob = _exec_payload(marker)
    with pytest.raises(pickle.UnpicklingError) as ours:
        loads(mt, blob, weights_only=False)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        loads(torch, blob, weights_only=False)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("value", ["0", "no", "false", ""])
def test_env_values_that_are_not_true_are_ignored(clean_env, value):
    clean_env.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", value)
    clean_env.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", value)
    for lib in (mt, torch):
        with pytest.raises(pickle.UnpicklingError):
            loads(lib, _fraction_file())
        assert loads(lib, _fraction_file(), weights_only=False)["frac"] == Fraction(1, 3)


def test_force_no_weights_only_env_when_not_passed(clean_env):
    clean_env.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    blob = _fraction_file()
    caught = {}
    for lib in (mt, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            assert loads(lib, blob)["frac"] == Fraction(1, 3)
        caught[lib] = [str(x.message) for x in w if x.category is UserWarning]
    assert caught[mt] == caught[torch] and len(caught[mt]) == 1
    # an explicit weights_only=True is not overridden
    for lib in (mt, torch):
        with pytest.raises(pickle.UnpicklingError):
            loads(lib, blob, weights_only=True)


def test_both_env_variables_is_an_error(clean_env):
    clean_env.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    clean_env.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    for lib in (mt, torch):
        with pytest.raises(RuntimeError, match="Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD`"):
            loads(lib, _fraction_file())


@pytest.mark.parametrize("force", [False, True])
def test_pickle_module_with_weights_only_is_refused(clean_env, force):
    kw = {"pickle_module": pickle}
    if force:
        clean_env.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "1")
    else:
        kw["weights_only"] = True
    for lib in (mt, torch):
        with pytest.raises(RuntimeError, match="Can not safely load weights when explicit "
                                               "pickle_module is specified"):
            loads(lib, _fraction_file(), **kw)


def test_pickle_load_args_warn_and_only_encoding_is_taken(clean_env):
    buf = io.BytesIO()
    torch.save({"w": torch.ones(1)}, buf)
    blob = buf.getvalue()
    for lib in (mt, torch):
        with pytest.warns(UserWarning, match=r"pickle_load_args only works if `weights_only=Fa"):
            assert loads(lib, blob, encoding="latin1")["w"].tolist() == [1.0]
        with pytest.warns(UserWarning, match="pickle_load_args"):
            with pytest.raises(TypeError, match="unexpected keyword argument 'errors'"):
                loads(lib, blob, errors="strict")


@pytest.mark.parametrize("module,name", [("posix", "system"), ("builtins", "eval"),
                                         ("subprocess", "check_output"),
                                         ("torch", "load"), ("numpy", "load")])
def test_refusal_messages_are_torchs(clean_env, marker, module, name):
    blob = archive(pickle_of(call(module, name, f"touch {marker}")))
    with pytest.raises(pickle.UnpicklingError) as ours:
        loads(mt, blob)
    with pytest.raises(pickle.UnpicklingError) as theirs:
        loads(torch, blob)
    assert str(ours.value) == str(theirs.value)
