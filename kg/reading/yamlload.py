"""YAML as kg reads it (sidecars, registries): safe, with the line of every collection and item.

libyaml's C parser composes the node tree (where PyYAML has it); the nodes are then turned into Python values
by one small recursive function rather than PyYAML's general constructor, which spent most of a sidecar's
reading time, and plain scalars are resolved through a cache (the same keys and numbers recur in every
file). Documents with what that function does not handle (merge keys ``<<``, tags of their own, keys that
are collections) go through PyYAML's constructor, with the same result.

>>> data = load_yaml("a: [1, x, {b: true}]\\nc: 2016-07-17\\n", source="x.yaml")
>>> data, data.line, data["a"].item_lines
({'a': [1, 'x', {'b': True}], 'c': '2016-07-17'}, 1, (1, 1, 1))
"""

from __future__ import annotations

from typing import Any

import yaml

from kg.errors import AnnotationError

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
#: Plain scalars resolved so far (value → tag), for short values only.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 50_000


class Map(dict[str, Any]):
    """A YAML mapping that remembers the line it started on."""

    line: int = 0


class Seq(list[Any]):
    """A YAML sequence that remembers its line and the line of each item (scalars too)."""

    line: int = 0
    item_lines: tuple[int, ...] = ()


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's C parser where PyYAML has it) recording line numbers on collections."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0] and len(value) < 40:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


def _construct_map(loader: Loader, node: yaml.MappingNode) -> Map:
    value = Map({str(k): v for k, v in loader.construct_mapping(node, deep=True).items()})
    value.line = node.start_mark.line + 1
    return value


def _construct_seq(loader: Loader, node: yaml.SequenceNode) -> Seq:
    value = Seq(loader.construct_sequence(node, deep=True))
    value.line = node.start_mark.line + 1
    value.item_lines = tuple(child.start_mark.line + 1 for child in node.value)
    return value


def _construct_str(loader: Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


Loader.add_constructor(_MAP, _construct_map)
Loader.add_constructor(_SEQ, _construct_seq)
# Dates and times stay strings: "2016-07-17" is metadata, not a datetime.
Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


class _Unusual(Exception):
    """The document needs PyYAML's general constructor."""


def _value(node: Any, loader: Loader, memo: dict[int, Any]) -> Any:
    kind = node.__class__
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT and node.value.isdigit() and node.value[:1] != "0":
            return int(node.value)
        if not tag.startswith("tag:yaml.org,2002:"):
            raise _Unusual
        return loader.construct_object(node, deep=True)
    done = memo.get(id(node))
    if done is not None:  # an alias of a collection already built
        return done
    if kind is yaml.MappingNode:
        if node.tag != _MAP:
            raise _Unusual
        mapping = Map()
        mapping.line = node.start_mark.line + 1
        memo[id(node)] = mapping
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Unusual
            mapping[str(_value(key_node, loader, memo))] = _value(value_node, loader, memo)
        return mapping
    if node.tag != _SEQ:
        raise _Unusual
    seq = Seq()
    seq.line = node.start_mark.line + 1
    memo[id(node)] = seq
    seq.extend(_value(child, loader, memo) for child in node.value)
    seq.item_lines = tuple(child.start_mark.line + 1 for child in node.value)
    return seq


def _load(yaml_text: str) -> Any:
    loader = Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _value(node, loader, {})
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(yaml_text: str, *, source: str) -> Any:
    """Parse YAML with line numbers; a syntax error becomes an :class:`AnnotationError` with its line."""
    try:
        return _load(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise AnnotationError(
            f"YAML syntax error: {problem}", file=source, line=line, hint="fix the YAML at that line"
        ) from None
    except yaml.YAMLError as exc:
        raise AnnotationError(f"YAML error: {exc}", file=source, hint="fix the YAML") from None
