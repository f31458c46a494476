"""The nested containers torch.func walks through (torch.utils._pytree's rules for the common
types): tuples, lists, dicts (keys in insertion order) and namedtuples are nodes, anything else is
a leaf. ``tree_flatten`` gives the leaves and a spec; ``tree_unflatten`` rebuilds the structure
from a spec and new leaves. A spec prints as torch's ``TreeSpec`` does; ``pprint`` draws it with
``*`` leaves, as torch's ``treespec_pprint``."""
from __future__ import annotations

from typing import Any, Callable


class TreeSpec:
    """The shape of a nested container: its type, dict keys (or None) and child specs."""

    __slots__ = ("type", "context", "children")

    def __init__(self, type_, context, children: list) -> None:
        self.type = type_
        self.context = context
        self.children = children

    @property
    def num_leaves(self) -> int:
        return 1 if self.type is None else sum(c.num_leaves for c in self.children)

    def __eq__(self, other) -> bool:
        return (isinstance(other, TreeSpec) and self.type is other.type
                and self.context == other.context and self.children == other.children)

    def __repr__(self, indent: int = 0) -> str:
        """torch's TreeSpec repr: ``TreeSpec(tuple, None, [*,\n  *])``."""
        if self.type is None:
            return "*"
        inner = ""
        if self.children:
            indent += 2
            inner = self.children[0].__repr__(indent) + ("," if len(self.children) > 1 else "")
            inner += ",".join("\n" + " " * indent + c.__repr__(indent)
                              for c in self.children[1:])
        return f"TreeSpec({self.type.__name__}, {self.context}, [{inner}])"

    def pprint(self) -> str:
        """The structure drawn with ``*`` leaves: ``(*, *)``, ``[*]``, ``{'a': *}``."""
        if self.type is None:
            return "*"
        inner = [c.pprint() for c in self.children]
        if issubclass(self.type, dict):
            return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.context, inner)) + "}"
        if issubclass(self.type, list):
            return "[" + ", ".join(inner) + "]"
        if len(inner) == 1 and self.type is tuple:
            return "(" + inner[0] + ",)"
        return "(" + ", ".join(inner) + ")"


LEAF = TreeSpec(None, None, [])


def _is_node(x: Any) -> bool:
    return isinstance(x, (tuple, list, dict))


def tree_flatten(tree: Any) -> tuple[list, TreeSpec]:
    """(leaves in order, spec)."""
    leaves: list = []

    def walk(node):
        if isinstance(node, dict):
            keys = list(node)
            return TreeSpec(type(node), keys, [walk(node[k]) for k in keys])
        if isinstance(node, (tuple, list)):
            return TreeSpec(type(node), None, [walk(c) for c in node])
        leaves.append(node)
        return LEAF

    spec = walk(tree)
    return leaves, spec


def tree_unflatten(leaves: list, spec: TreeSpec) -> Any:
    """The container ``spec`` describes, holding ``leaves`` in order."""
    it = iter(leaves)

    def build(s: TreeSpec):
        if s.type is None:
            return next(it)
        children = [build(c) for c in s.children]
        if issubclass(s.type, dict):
            return s.type(zip(s.context, children))
        if s.type is tuple or s.type is list:
            return s.type(children)
        if hasattr(s.type, "_fields"):  # namedtuple
            return s.type(*children)
        return s.type(children)

    return build(spec)


def tree_map(fn: Callable, tree: Any) -> Any:
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


def broadcast_prefix(prefix: Any, tree: Any) -> list | None:
    """The entries of ``prefix`` repeated over the leaves of ``tree`` that each one covers (a
    leaf of ``prefix`` covers a whole subtree), or None when ``prefix``'s structure is not a
    prefix of ``tree``'s (torch's in_dims/out_dims rule)."""
    if not _is_node(prefix):
        return [prefix] * len(tree_flatten(tree)[0])
    if type(prefix) is not type(tree) and not (
            isinstance(prefix, tuple) and isinstance(tree, tuple)):
        return None
    if isinstance(prefix, dict):
        if set(prefix) != set(tree):
            return None
        pairs = [(prefix[k], tree[k]) for k in tree]
    else:
        if len(prefix) != len(tree):
            return None
        pairs = list(zip(prefix, tree))
    out: list = []
    for p, t in pairs:
        sub = broadcast_prefix(p, t)
        if sub is None:
            return None
        out.extend(sub)
    return out
