"""NewsFANE Gold (token<TAB>IOB2 tag, a blank line between sentences) to a kg corpus of brat articles.

``python benchmarks/newsfane.py SRC.txt DEST [--sentences-per-article 40] [--first N]`` writes
``DEST/articles/NNNN.txt`` + ``NNNN.ann`` (tokens joined by one space, one sentence a line, U+200E marks and
the BOM dropped, offsets in code points) and ``DEST/kg.toml`` mapping the corpus's 50 fine-grained classes
onto the kg ontology. Articles are consecutive blocks of sentences, so a split by article is a split by
sentence blocks, never at random tokens.
"""

from __future__ import annotations

import argparse
from pathlib import Path

#: NewsFANE's classes (ACE subtypes of PER, ORG, GPE, LOC, FAC, VEH, WEA and products) → ontology types.
#: "" leaves a class out on purpose: nationalities, vehicles, weapons, works and products are no actors
#: or places of the ontology.
KG_TOML = '''\
# NewsFANE Gold 2014's 50 fine-grained classes mapped onto the kg ontology (written by benchmarks/newsfane.py).
language = "ar"

[entities]
# PER: people, whatever their occupation
Politician = "Person"
Athlete = "Person"
Artist = "Person"
Other_PER = "Person"
Religious_PER = "Person"
Scientist = "Person"
Businessperson = "Person"
Police = "Person"
Lawyer = "Person"
Engineer = "Person"
# ORG: organisations; the actor registry gives single actors a more exact class
Non-Governmental = "Organization"
Government = "GovernmentBody"
Media = "MediaOutlet"
Commercial = "Organization"
Educational = "Organization"
Sports = "Organization"
Medical-Science = "Organization"
Entertainment = "Organization"
Religious_ORG = "ReligiousAuthority"
# PER.Group: nationalities and confessions (العرب, الشيعة): populations, not organised actors
Group = ""
# GPE and LOC: places
Nation = "Country"
Population-Center = "City"
State-or-Province = "Region"
County-or-District = "Region"
GPE-Cluster = "Region"
Continent = "Region"
Land-Region-Natural = "Place"
Water-Body = "Place"
Celestial = "Place"
# FAC: facilities
Building-Grounds = "Facility"
Airport = "Facility"
Path = "Facility"
Subarea-Facility = "Facility"
# VEH, WEA and products: not in the ontology
Land = ""
Air = ""
Water = ""
Shooting = ""
Projectile = ""
Book = ""
Movie = ""
Software = ""
Hardware = ""
Food = ""
Drug = ""
Plant = ""
'''


def read_iob(path: Path) -> list[list[tuple[str, str]]]:
    """The sentences of a token<TAB>tag file, marks removed, empty tokens dropped."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.replace("\u200e", "").replace("\ufeff", "")
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        token, _, tag = line.partition("\t")
        token = token.strip()
        if token:
            current.append((token, tag.strip() or "O"))
    if current:
        sentences.append(current)
    return sentences


def to_brat(sentences: list[list[tuple[str, str]]]) -> tuple[str, str]:
    """One article: its text and its brat standoff."""
    text_lines, ann, n = [], [], 0
    offset = 0
    for sentence in sentences:
        parts: list[str] = []
        spans: list[list] = []
        pos = offset
        for token, tag in sentence:
            start = pos
            parts.append(token)
            pos += len(token) + 1
            kind, _, label = tag.partition("-")
            if kind == "B" or (kind == "I" and (not spans or spans[-1][2] != label or spans[-1][3])):
                spans.append([start, start + len(token), label, False])
            elif kind == "I":
                spans[-1][1] = start + len(token)
            if kind not in ("B", "I") and spans:
                spans[-1][3] = True
        line = " ".join(parts)
        text_lines.append(line)
        full = "\n".join(text_lines)
        for s, e, label, _closed in spans:
            n += 1
            ann.append(f"T{n}\t{label} {s} {e}\t{full[s:e]}")
        offset += len(line) + 1
    return "\n".join(text_lines) + "\n", "\n".join(ann) + ("\n" if ann else "")


def convert(src: Path, dest: Path, *, per_article: int = 40, first: int | None = None) -> int:
    """Write the corpus folder; the number of articles written."""
    sentences = read_iob(src)[:first]
    (dest / "articles").mkdir(parents=True, exist_ok=True)
    (dest / "kg.toml").write_text(KG_TOML, encoding="utf-8")
    count = 0
    for i in range(0, len(sentences), per_article):
        text, ann = to_brat(sentences[i:i + per_article])
        name = f"{i // per_article:04d}"
        (dest / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
        (dest / "articles" / f"{name}.ann").write_text(ann, encoding="utf-8")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--sentences-per-article", type=int, default=40)
    parser.add_argument("--first", type=int, default=None, help="only the first N sentences")
    args = parser.parse_args()
    n = convert(args.src, args.dest, per_article=args.sentences_per_article, first=args.first)
    print(f"{n} articles written to {args.dest}")


if __name__ == "__main__":
    main()
