"""kg's YAML reading gives what PyYAML's constructor gives, with the lines of every collection and item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.errors import AnnotationError
from kg.reading.yamlload import Loader, load_yaml

ROOT = Path(__file__).parent.parent


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.line == b.line and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return (a.line == b.line and a.item_lines == b.item_lines and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b, strict=True)))
    return bool(a == b)


def test_every_yaml_file_of_the_tests_reads_as_pyyaml_reads_it():
    files = [*(ROOT / "tests" / "data").rglob("*.yaml"), *(ROOT / "seeds").rglob("*.yaml")]
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        try:
            expected = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            with pytest.raises(AnnotationError):
                load_yaml(text, source=str(path))
            continue
        assert _same(load_yaml(text, source=str(path)), expected), path


@pytest.mark.parametrize("text", [
    "a: &x {b: 1}\nc: *x\n",             # an alias: the same object twice
    "base: &b {x: 1}\nmore: {<<: *b, y: 2}\n",  # a merge key: PyYAML's constructor
    "n: [0, 07, 0x1f, 1_000, -3, +4, 1.5, .inf, null, ~, yes, 2016-07-17]\n",
    "k: !!str 12\n",
    "- 1\n- [2, 3]\n",
])
def test_unusual_documents(text: str):
    assert _same(load_yaml(text, source="x.yaml"), yaml.load(text, Loader=Loader))  # noqa: S506


def test_a_syntax_error_names_its_line():
    with pytest.raises(AnnotationError) as err:
        load_yaml("a: [1, 2\nb: 3\n", source="x.yaml")
    assert err.value.line is not None
