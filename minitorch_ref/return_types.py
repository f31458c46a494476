"""torch.return_types: the named tuples that ``max(dim)``, ``sort``, ``topk``, ... return.

Each is a tuple (so ``values, indices = x.max(1)`` unpacks) with named fields, printed the way
torch prints its structseq types::

    torch.return_types.max(
    values=tensor([3., 5.]),
    indices=tensor([1, 0]))
"""
from __future__ import annotations

import sys

__all__ = ["make_return"]


def make_return(name: str, fields: tuple) -> type:
    """A tuple subclass ``torch.return_types.<name>`` with one property per field; registered in
    this module under ``name`` so that it pickles and can be checked with isinstance."""

    def __new__(cls, values):
        values = tuple(values)
        if len(values) != len(fields):
            raise TypeError(
                f"torch.return_types.{name} takes a {len(fields)}-sequence "
                f"({len(values)}-sequence given)")
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    def __reduce__(self):
        return (type(self), (tuple(self),))

    ns = {"__new__": __new__, "__repr__": __repr__, "__str__": __repr__, "__reduce__": __reduce__,
          "__slots__": (), "_fields": fields, "n_fields": len(fields),
          "n_sequence_fields": len(fields), "__module__": __name__}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    cls = type(name, (tuple,), ns)
    cls.__qualname__ = name
    setattr(sys.modules[__name__], name, cls)
    return cls
