"""The reader registry: one table suffix → reader, each annotation file read once, corpus discovery."""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kg import build
from kg.errors import AnnotationError
from kg.mapping.pipeline import check_corpus, process_article
from kg.model import Article, Entity, Mention, Metadata, Span
from kg.reading import readers
from kg.reading.corpus import find_articles, open_corpus
from kg.reading.readers import READERS, Reader, reader_for
from kg.sparql.store import GraphStore

DATA = Path(__file__).parent / "data"


def test_brat_and_yaml_are_registered():
    assert READERS[".ann"].name == "brat"
    assert READERS[".yaml"].name == READERS[".yml"].name == "yaml"
    assert reader_for(Path("x.txt")) is None


def _read_words(path: Path, text: str | None, *, metadata: Metadata, config: object) -> Article:
    """A toy format: one entity per line, ``TYPE WORD``, found in the text."""
    assert text is not None
    entities = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        etype, word = line.split()
        start = text.index(word)
        entities.append(Entity(f"W{n}", etype, (Mention((Span(start, start + len(word)),), word, n),), line=n))
    return Article(id=path.stem, text=text, metadata=metadata, entities=tuple(entities), source=str(path))


def test_a_reader_added_to_the_table_is_used_for_its_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(READERS, ".words", Reader("words", (".words",), _read_words))
    (tmp_path / "a.txt").write_text("Haftar leads the LNA.", encoding="utf-8")
    (tmp_path / "a.words").write_text("Person Haftar\nArmedGroup LNA\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("article: {title: T, language: en}\n", encoding="utf-8")
    corpus = open_corpus(tmp_path)
    [files] = corpus.files
    assert (files.annotation, files.metadata) == (tmp_path / "a.words", tmp_path / "a.yaml")
    result = process_article(files, corpus, content_hash="h")
    assert result.problems == ()
    assert '"Haftar"@en' in result.nquads and "ontology#ArmedGroup>" in result.nquads
    assert "<https://w3id.org/kg/id/article/a>" in result.nquads  # N-Quads: the graph is on each line


def test_two_annotation_files_for_one_article_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(READERS, ".words", Reader("words", (".words",), _read_words))
    for name in ("a.txt", "a.ann", "a.words"):
        (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(AnnotationError, match="2 annotation files for one article: a.ann, a.words"):
        find_articles(tmp_path)


def test_each_annotation_file_is_read_once_per_build(monkeypatch: pytest.MonkeyPatch):
    reads: Counter[str] = Counter()
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads[self.name] += 1
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    corpus = DATA / "brat_tutorial_news"
    with GraphStore() as store:
        build([corpus], store=store, skip_invalid=True)
        after_build = dict(reads)
    anns = [p.name for p in corpus.glob("*.ann")]
    # each .ann: once for its content hash, once read; a file holding alias annotations (brat * sets) once more,
    # for the corpus's alias table (kg.mapping.identity.corpus_aliases)
    aliased = {p.name for p in corpus.glob("*.ann") if {"Equiv", "Alias"} & set(p.read_text(encoding="utf-8").split())}
    assert {name: after_build.get(name) for name in anns} == {n: 3 if n in aliased else 2 for n in anns}


def test_a_registry_named_in_kg_toml_is_not_an_article(tmp_path: Path):
    """Bug: `registry = "people.yaml"` in a corpus without articles/ was read as an article."""
    shutil.copy(DATA / "multi" / "articles" / "a1.txt", tmp_path / "a1.txt")
    shutil.copy(DATA / "multi" / "articles" / "a1.yaml", tmp_path / "a1.yaml")
    shutil.copy(DATA / "multi" / "actors.yaml", tmp_path / "people.yaml")
    (tmp_path / "kg.toml").write_text('registry = "people.yaml"\n', encoding="utf-8")
    corpus = open_corpus(tmp_path)
    assert [f.id for f in corpus.files] == ["a1"]
    assert corpus.registry.entries
    assert [p for p in check_corpus([tmp_path]) if p.severity == "error"] == []


def test_reader_functions_load_their_module_lazily():
    reader = READERS[".ann"]
    assert reader.read.__name__ == "read_brat"
    assert dataclasses.is_dataclass(reader) and readers.METADATA_READER == "yaml"
