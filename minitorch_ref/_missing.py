"""Informative errors for torch features minitorch_ref does not provide.

A package sets ``__getattr__ = missing_attribute_hook("torch.nn")``; looking up a name the
package lacks then raises an AttributeError that names the torch feature (and carries it in
``_minitorch_missing`` for ``minitorch_ref.swap`` to report), instead of Python's bare message.
"""
from __future__ import annotations


def missing_attribute_hook(torch_name: str):
    def __getattr__(name: str):
        if name.startswith("__"):  # Python's own probes (__path__, __wrapped__, ...)
            raise AttributeError(f"module '{torch_name}' has no attribute '{name}'")
        err = AttributeError(
            f"module '{torch_name}' has no attribute '{name}': {torch_name}.{name} is not "
            "implemented in minitorch_ref")
        err._minitorch_missing = f"{torch_name}.{name}"
        raise err
    return __getattr__


def missing_feature(feature: str, message: str,
                    cls: type = NotImplementedError) -> NotImplementedError:
    """The error for a torch feature minitorch_ref lacks, raised from inside the library:
    a NotImplementedError (or ``cls``, a subclass of it) that ``minitorch_ref.swap`` reports as
    the missing ``feature`` (torch's public name, e.g. ``"torch.onnx.export"``)."""
    err = cls(message)
    err._minitorch_missing = feature
    return err
