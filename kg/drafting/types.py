"""The ontology type of a name the recogniser tags with its broad group (Person, Organization, Place).

The recogniser learns the broad groups, which the corpus has many examples of, rather than the ontology's
fine types (City and Country, GovernmentBody and MediaOutlet, …), which split those examples between
labels. A name it finds then gets its fine type from the training annotations: the type the name itself
had most often, else the one its first or last word points to (``وزارة`` → GovernmentBody, ``مدينة`` →
City, ``جامعة`` → Organization), else the group's most frequent type. Types outside the three groups are
learnt as they are. The table is plain JSON in the model folder.

>>> spans = [("وزارة الخارجية", "GovernmentBody"), ("وزارة الدفاع", "GovernmentBody"),
...          ("بيروت", "City"), ("لبنان", "Country"), ("لبنان", "Country"), ("شركة فورد", "Organization")]
>>> types = learn_types(spans, lambda t: "Organization" if t in ("GovernmentBody", "Organization") else "Place")
>>> types.fine("وزارة الصحة", "Organization"), types.fine("لبنان", "Place"), types.fine("عمان", "Place")
('GovernmentBody', 'Country', 'Country')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.drafting.features import normalise

MIN_SEEN = 2  # a word points to a type once it has been seen in that many names …
MIN_SHARE = 0.7  # … and that share of them had that type


def _words(name: str) -> list[str]:
    return [normalise(w) for w in name.split()]


@dataclass
class TypeTable:
    """Group → fine type by name, by first word, by last word, and the group's default."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    first: dict[str, dict[str, str]] = field(default_factory=dict)
    last: dict[str, dict[str, str]] = field(default_factory=dict)
    default: dict[str, str] = field(default_factory=dict)

    def fine(self, name: str, group: str) -> str:
        """The fine type of a name tagged ``group`` (a label that is no group is returned as it is)."""
        if group not in self.default:
            return group
        words = _words(name)
        key = " ".join(words)
        for table, k in ((self.names, key), (self.first, words[0] if words else ""),
                         (self.last, words[-1] if words else "")):
            found = table.get(group, {}).get(k)
            if found:
                return found
        return self.default[group]

    def to_json(self) -> dict[str, Any]:
        return {"names": self.names, "first": self.first, "last": self.last, "default": self.default}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TypeTable:
        return cls(data.get("names", {}), data.get("first", {}), data.get("last", {}), data.get("default", {}))


def learn_types(spans: Iterable[tuple[str, str]], group_of: Callable[[str], str | None]) -> TypeTable:
    """The table from (name, fine type) pairs of the training annotations."""
    by_name: dict[str, dict[str, Counter[str]]] = {}
    by_first: dict[str, dict[str, Counter[str]]] = {}
    by_last: dict[str, dict[str, Counter[str]]] = {}
    totals: dict[str, Counter[str]] = {}
    for name, fine in spans:
        group = group_of(fine)
        words = _words(name)
        if group is None or not words:
            continue
        totals.setdefault(group, Counter())[fine] += 1
        by_name.setdefault(group, {}).setdefault(" ".join(words), Counter())[fine] += 1
        by_first.setdefault(group, {}).setdefault(words[0], Counter())[fine] += 1
        by_last.setdefault(group, {}).setdefault(words[-1], Counter())[fine] += 1

    def table(counts: dict[str, dict[str, Counter[str]]], minimum: int) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for group, words in sorted(counts.items()):
            default = totals[group].most_common(1)[0][0]
            for word, c in sorted(words.items()):
                fine, n = c.most_common(1)[0]
                if fine != default and n >= minimum and n >= MIN_SHARE * sum(c.values()):
                    out.setdefault(group, {})[word] = fine
        return out

    return TypeTable(names=table(by_name, 1), first=table(by_first, MIN_SEEN), last=table(by_last, MIN_SEEN),
                     default={g: c.most_common(1)[0][0] for g, c in sorted(totals.items())})
