"""torch.onnx: importing works, so scripts that only export at the end still train; exporting
is not implemented here (it traces torch's graph, which this library does not have) and raises
a NotImplementedError that is also torch's ``OnnxExporterError``."""
from __future__ import annotations

from typing import Any

from .._missing import missing_attribute_hook, missing_feature

__all__ = ["export", "is_in_onnx_export", "OnnxExporterError"]


class OnnxExporterError(RuntimeError):
    """Errors raised by the ONNX exporter (torch's class)."""


class _ExportNotImplemented(OnnxExporterError, NotImplementedError):
    """Exporting is not implemented in minitorch_ref."""


def export(model: Any, args: Any = (), f: Any = None, *pargs: Any, **kwargs: Any) -> Any:
    """Raises: exporting to ONNX is not implemented in minitorch_ref."""
    raise missing_feature("torch.onnx.export", "exporting to ONNX (torch.onnx.export) is not "
                          "implemented in minitorch_ref", _ExportNotImplemented)


def is_in_onnx_export() -> bool:
    return False


__getattr__ = missing_attribute_hook("torch.onnx")
