"""Make the INCEpTION fixtures: articles read by kg exported as UIMA CAS JSON, CAS XMI + TypeSystem.xml and
WebAnno TSV 3.3, in the layers an INCEpTION project for kg uses (see docs/annotation-format.md).

INCEpTION does not run here, so the exports are written with dkpro-cassis (CAS JSON and XMI) and with the small
WebAnno TSV 3.3 writer below, which follows the format's specification in INCEpTION's documentation
(cassis writes no TSV). Run from the repository root:

    python scripts/inception_fixtures.py          # rewrite tests/data/inception/
    python scripts/inception_fixtures.py --check  # exit 1 if the fixtures differ from what would be written
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cassis import Cas, TypeSystem

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's kg, whatever is installed

from kg.model import Article  # noqa: E402
from kg.reading.cas import CHAIN, CHAIN_LINK, NAMED_ENTITY  # noqa: E402

OUT = ROOT / "tests" / "data" / "inception"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
RELATION = "webanno.custom.Relation"
EVENT = "webanno.custom.Event"
EVENT_LINK = "webanno.custom.EventArgumentsLink"
FIGURE = "webanno.custom.Figure"
STRING, BOOLEAN, INTEGER = "uima.cas.String", "uima.cas.Boolean", "uima.cas.Integer"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def typesystem() -> TypeSystem:
    """The layers of an INCEpTION project for kg, with their real names."""
    ts = TypeSystem()

    def layer(name: str, features: Iterable[tuple[str, str]], supertype: str = "uima.tcas.Annotation") -> Any:
        t = ts.create_type(name, supertypeName=supertype)
        for feature, range_type in features:
            ts.create_feature(t, feature, range_type)
        return t

    layer(METADATA, [("documentTitle", STRING), ("documentId", STRING), ("documentUri", STRING)],
          "uima.tcas.DocumentAnnotation")
    layer(SENTENCE, [("id", STRING)])
    layer(TOKEN, [("id", STRING)])
    ne = layer(NAMED_ENTITY, [("value", STRING), ("identifier", STRING), ("actor", STRING)])
    link = layer(CHAIN_LINK, [("referenceType", STRING), ("referenceRelation", STRING)])
    ts.create_feature(link, "next", link)
    chain = layer(CHAIN, [], "uima.cas.AnnotationBase")
    ts.create_feature(chain, "first", link)
    layer(FIGURE, [("count", INTEGER), ("qualifier", STRING), ("of", STRING), ("claimant", STRING)])
    event_link = layer(EVENT_LINK, [("role", STRING), ("target", "uima.tcas.Annotation")], "uima.cas.TOP")
    event = layer(EVENT, [("value", STRING), ("date", STRING), ("claimant", STRING), ("negated", BOOLEAN),
                          ("uncertain", BOOLEAN)])
    ts.create_feature(event, "arguments", "uima.cas.FSArray", elementType=event_link, multipleReferencesAllowed=True)
    relation = layer(RELATION, [("value", STRING), ("claimant", STRING), ("date", STRING), ("evidence", STRING),
                                ("negated", BOOLEAN), ("uncertain", BOOLEAN), ("former", BOOLEAN),
                                ("intended", BOOLEAN)])
    ts.create_feature(relation, "Governor", ne)
    ts.create_feature(relation, "Dependent", ne)
    return ts


def article_to_cas(article: Article, ts: TypeSystem, *, name: str) -> Cas:
    """An article (types as written) as INCEpTION would hold it: one NamedEntity per mention, a coreference
    chain per entity of several mentions or brat ``*`` set, relations as Governor/Dependent arcs."""
    T = ts.get_type  # noqa: N806
    cas = Cas(typesystem=ts)
    text = article.text
    cas.sofa_string = text
    cas.add(T(METADATA)(begin=0, end=len(text), documentTitle=f"{name}.txt", documentId=name,
                        language=article.metadata.language or "x-unspecified"))
    for line in re.finditer(r"[^\n]+", text):
        tokens = [m for m in _TOKEN.finditer(line.group()) if m.group()]
        if tokens:
            base = line.start()
            cas.add(T(SENTENCE)(begin=base + tokens[0].start(), end=base + tokens[-1].end()))
            for m in tokens:
                cas.add(T(TOKEN)(begin=base + m.start(), end=base + m.end()))
    entities = {e.id: e for e in article.entities}
    mentions: dict[str, list[Any]] = {}
    for e in article.entities:
        identifier = None
        if e.external_ids:
            db, value = e.external_ids[0]
            identifier = f"http://www.wikidata.org/entity/{value}" if db == "wikidata" else f"{db}:{value}"
        for m in e.mentions:
            fs = T(NAMED_ENTITY)(begin=m.start, end=m.end, value=e.type, identifier=identifier, actor=e.actor)
            cas.add(fs)
            mentions.setdefault(e.id, []).append(fs)
    groups = [tuple(mentions[e.id]) for e in article.entities if len(e.mentions) > 1]
    groups += [tuple(mentions[x][0] for x in group) for group in article.equivalences]
    for group in groups:
        links = [T(CHAIN_LINK)(begin=fs.begin, end=fs.end, referenceType="nam") for fs in group]
        for link, nxt in zip(links, links[1:], strict=False):
            link.next = nxt
        for link in links:
            cas.add(link)
        cas.add(T(CHAIN)(first=links[0]))

    def named(ref: str | None) -> str | None:
        """A claimant or `of` as INCEpTION holds it: the entity's registry id, else its text."""
        if ref is None or ref not in entities:
            return ref
        return entities[ref].actor or entities[ref].text

    def anchor(ref: str, span: Any = None) -> Any:
        """The mention an arc or slot starts from: the entity's mention inside the evidence, else its first."""
        if ref in events:
            return events[ref]
        inside = [fs for fs in mentions[ref] if span is not None and span.start <= fs.begin and fs.end <= span.end]
        return (inside or mentions[ref])[0]

    events: dict[str, Any] = {}
    for ev in article.events:
        if ev.trigger is None:
            print(f"{name}: event {ev.id} has no trigger; not exported", file=sys.stderr)
            continue
        events[ev.id] = T(EVENT)(begin=ev.trigger.start, end=ev.trigger.end, value=ev.type, date=ev.date,
                                 claimant=named(ev.claimant), negated=ev.negated or None,
                                 uncertain=ev.uncertain or None)
    for ev in article.events:
        if ev.id not in events:
            continue
        links = [T(EVENT_LINK)(role=role, target=anchor(target)) for role, target in ev.arguments]
        if ev.place is not None:
            links.append(T(EVENT_LINK)(role="place", target=anchor(ev.place)))
        for fig in ev.figures:
            if fig.evidence is None:
                print(f"{name}: a figure of {ev.id} has no evidence; not exported", file=sys.stderr)
                continue
            figure = T(FIGURE)(begin=fig.evidence.start, end=fig.evidence.end, count=fig.count,
                               qualifier=fig.qualifier, of=named(fig.of), claimant=named(fig.claimant))
            cas.add(figure)
            links.append(T(EVENT_LINK)(role=fig.kind, target=figure))
        events[ev.id].arguments = T("uima.cas.FSArray")(elements=links)
        cas.add(events[ev.id])
    for r in article.relations:
        span = r.evidence
        gov, dep = anchor(r.subject, span), anchor(r.object, span)
        cas.add(T(RELATION)(begin=dep.begin, end=dep.end, Governor=gov, Dependent=dep, value=r.type,
                            claimant=named(r.claimant), date=r.date, evidence=span.text if span else None,
                            **{f: getattr(r, f) or None for f in ("negated", "uncertain", "former", "intended")}))
    return cas


# -- WebAnno TSV 3.3 -------------------------------------------------------------------------------------

_VALUE_ESCAPES = [("\\", "\\\\"), ("[", "\\["), ("]", "\\]"), ("|", "\\|"), ("_", "\\_"), ("->", "\\->"),
                  (";", "\\;"), ("\t", "\\t"), ("\n", "\\n"), ("*", "\\*")]


def escape_value(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for raw, esc in _VALUE_ESCAPES:
            if value.startswith(raw, i):
                out.append(esc)
                i += len(raw)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def escape_text(text: str) -> str:
    named = {"\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\b": "\\b", "\\": "\\\\"}
    return "".join(named.get(c, "\\" + c if ord(c) < 32 and not 7 < ord(c) < 14 else c) for c in text)


class _Unit:
    def __init__(self, uid: str, begin: int, end: int) -> None:
        self.id, self.begin, self.end = uid, begin, end
        self.annotations: dict[str, list[Any]] = {}  # layer → annotations, in stacking order


def cas_to_tsv(cas: Cas) -> str:
    """The CAS as WebAnno TSV 3.3: span layers, then the chain layer, then relation layers."""
    text = cas.sofa_string
    units16 = [0]
    for ch in text:
        units16.append(units16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    spans = [fs for fs in cas.select_all_fs() if hasattr(fs, "begin") and fs.type.name in
             (NAMED_ENTITY, EVENT, FIGURE, CHAIN_LINK) and fs.begin < fs.end]
    spans.sort(key=lambda fs: (fs.begin, -fs.end, fs.type.name))
    relations = [fs for fs in cas.select(RELATION)]
    sentences = []
    for s in cas.select(SENTENCE):
        tokens = [_Unit("", t.begin, t.end) for t in cas.select_covered(TOKEN, s)]
        sentences.append((s, tokens))
    all_tokens = [t for _, ts in sentences for t in ts]
    subs: dict[int, dict[tuple[int, int], _Unit]] = {}
    units_of: dict[int, list[_Unit]] = {}
    for fs in spans:
        covered = [t for t in all_tokens if t.begin < fs.end and t.end > fs.begin]
        if not covered:
            raise ValueError(f"{fs.type.name} at {fs.begin}-{fs.end} covers no token")
        units = []
        for t in covered:
            b, e = max(t.begin, fs.begin), min(t.end, fs.end)
            if (b, e) == (t.begin, t.end):
                units.append(t)
            else:
                units.append(subs.setdefault(id(t), {}).setdefault((b, e), _Unit("", b, e)))
        units_of[id(fs)] = units
        for u in units:
            u.annotations.setdefault(fs.type.name, []).append(fs)
    rows: list[tuple[Any, list[_Unit]]] = []
    for n, (s, tokens) in enumerate(sentences, 1):
        ordered = []
        for k, t in enumerate(tokens, 1):
            t.id = f"{n}-{k}"
            ordered.append(t)
            for j, (_, sub) in enumerate(sorted(subs.get(id(t), {}).items()), 1):
                sub.id = f"{t.id}.{j}"
                ordered.append(sub)
        rows.append((s, ordered))
    # disambiguation ids: multi-unit, stacked, and every target of the untyped event slots
    slot_targets = {id(link.target) for ev in cas.select(EVENT) for link in (ev.arguments.elements if ev.arguments
                                                                                 else ())}
    ids: dict[int, int] = {}
    for fs in spans:
        if fs.type.name == CHAIN_LINK:
            continue
        units = units_of[id(fs)]
        if len(units) > 1 or id(fs) in slot_targets or any(len(u.annotations[fs.type.name]) > 1 for u in units):
            ids[id(fs)] = len(ids) + 1

    def first_unit(fs: Any) -> _Unit:
        return units_of[id(fs)][0]

    def tag(fs: Any) -> str:
        return f"[{ids[id(fs)]}]" if id(fs) in ids else ""

    def value(v: Any) -> str:
        if v is None:
            return "*"
        return "true" if v is True else "false" if v is False else escape_value(str(v))

    chains: dict[int, tuple[int, int]] = {}
    for c, chain in enumerate(sorted(cas.select(CHAIN), key=lambda c: (c.first.begin, c.first.end)), 1):
        link, k = chain.first, 1
        while link is not None:
            chains[id(link)] = (c, k)
            link, k = link.next, k + 1
    by_dependent: dict[int, list[Any]] = {}
    for r in relations:
        by_dependent.setdefault(id(first_unit(r.Dependent)), []).append(r)
    layers = [(NAMED_ENTITY, ["value", "identifier", "actor"]), (EVENT, ["value", "date", "claimant", "negated",
              "uncertain", "arguments"]), (FIGURE, ["count", "qualifier", "of", "claimant"])]
    active = [(name, feats) for name, feats in layers if any(fs.type.name == name for fs in spans)]
    rel_features = ["value", "claimant", "date", "evidence", "negated", "uncertain", "former", "intended"]
    has_chains, has_relations = bool(chains), bool(relations)
    header = ["#FORMAT=WebAnno TSV 3.3"]
    for name, feats in active:
        fields = [f"ROLE_{name}:{f}_{EVENT_LINK}|uima.tcas.Annotation" if f == "arguments" else f for f in feats]
        header.append(f"#T_SP={name}|" + "|".join(fields))
    if has_chains:
        header.append(f"#T_CH={CHAIN_LINK}|referenceType|referenceRelation")
    if has_relations:
        header.append(f"#T_RL={RELATION}|" + "|".join(rel_features) + f"|BT_{NAMED_ENTITY}")

    def cells(unit: _Unit) -> list[str]:
        out: list[str] = []
        for name, feats in active:
            stack = unit.annotations.get(name, [])
            for f in feats:
                if not stack:
                    out += ["_", "_"] if f == "arguments" else ["_"]
                elif f == "arguments":
                    roles, targets = [], []
                    for fs in stack:
                        links = fs.arguments.elements if fs.arguments else []
                        roles.append(";".join(value(x.role) for x in links) + tag(fs) if links else "_" + tag(fs))
                        targets.append(";".join(first_unit(x.target).id + tag(x.target) for x in links)
                                       if links else "_")
                    out += ["|".join(roles), "|".join(targets)]
                else:
                    out.append("|".join(value(fs.get(f)) + tag(fs) for fs in stack))
        if has_chains:
            links = unit.annotations.get(CHAIN_LINK, [])
            out.append("|".join(f"{value(x.referenceType)}[{chains[id(x)][0]}]" for x in links) or "_")
            out.append("|".join(f"{value(x.referenceRelation)}->{chains[id(x)][0]}-{chains[id(x)][1]}"
                                for x in links) or "_")
        if has_relations:
            arcs = by_dependent.get(id(unit), [])
            for f in rel_features:
                out.append("|".join(value(r.get(f)) for r in arcs) or "_")
            refs = []
            for r in arcs:
                src, tgt = ids.get(id(r.Governor)), ids.get(id(r.Dependent))
                refs.append(first_unit(r.Governor).id + (f"[{src or 0}_{tgt or 0}]" if src or tgt else ""))
            out.append("|".join(refs) or "_")
        return out

    body = ["\n".join(header) + "\n\n"]  # the header, then two empty lines
    for s, units in rows:
        block = [f"#Text={escape_text(line)}" for line in text[s.begin:s.end].split("\n")]
        for u in units:
            fields = [u.id, f"{units16[u.begin]}-{units16[u.end]}", text[u.begin:u.end], *cells(u)]
            block.append("\t".join(fields) + "\t")
        body.append("\n" + "\n".join(block) + "\n")  # an empty line before each sentence
    return "".join(body)


# -- the fixtures ----------------------------------------------------------------------------------------

ASTRAL_TEXT = ("😊 𝐀𝐁𝐂 report: قوات حفتر attacked سرايا الدفاع عن بنغازي near 𝐀jdabiya 👍, killing two fighters.\n"
               "\n🇱🇾 Haftar commands the LNA.\n")
ASTRAL_ANN = """T1\tArmedGroup 14 23\tقوات حفتر
T2\tArmedGroup 33 55\tسرايا الدفاع عن بنغازي
T3\tCity 61 69\t𝐀jdabiya
T4\tAttack 24 32\tattacked
T5\tQuantity 81 84\ttwo
E1\tAttack:T4 attacker:T1 target:T2 place:T3 killed:T5
R1\thostileTo Arg1:T1 Arg2:T2
T6\tPerson 99 105\tHaftar
T7\tArmedGroup 119 122\tLNA
R2\tcommands Arg1:T6 Arg2:T7
"""


def _articles(root: Path) -> list[tuple[str, Article, Path | None]]:
    from kg.reading.corpus import open_corpus, read_article

    corpus = open_corpus(root)
    return [(f.id, read_article(f, corpus.config), f.metadata) for f in corpus.files]


def _write_corpus(folder: Path, kg_toml: str, articles: list[tuple[str, Article, Path | None]]) -> None:
    ts = typesystem()
    for kind in ("json", "xmi", "tsv"):
        out = folder / kind
        out.mkdir(parents=True, exist_ok=True)
        (out / "kg.toml").write_text(kg_toml, encoding="utf-8")
        if kind == "xmi":
            (out / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
        for name, article, metadata in articles:
            cas = article_to_cas(article, ts, name=name)
            if kind == "json":
                (out / f"{name}.json").write_text(cas.to_json(ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
            elif kind == "xmi":
                (out / f"{name}.xmi").write_text(cas.to_xmi(pretty_print=True), encoding="utf-8")
            else:
                (out / f"{name}.tsv").write_text(cas_to_tsv(cas), encoding="utf-8")
            if metadata is not None:
                shutil.copyfile(metadata, out / f"{name}.yaml")


def write_fixtures(out: Path) -> None:
    """Every fixture corpus under ``out``: seed, news (the brat tutorial) and astral (emoji, 𝐀, Arabic)."""
    seed_toml = (ROOT / "seeds" / "kg.toml").read_text(encoding="utf-8")
    seed_toml += 'registry = "../../../../../seeds/actors.yaml"\n'
    seed = [(name, article, None) for name, article, _ in _articles(ROOT / "seeds")]
    seed_yaml = ROOT / "seeds" / "articles" / f"{seed[0][0]}.yaml"
    _write_corpus(out / "seed", seed_toml, [(n, a, None) for n, a, _ in seed])
    for kind in ("json", "xmi", "tsv"):  # the article's metadata, as a sidecar beside the export
        meta = seed_yaml.read_text(encoding="utf-8").split("\nentities:")[0]
        (out / "seed" / kind / f"{seed[0][0]}.yaml").write_text(meta.rstrip() + "\n", encoding="utf-8")
    news = ROOT / "tests" / "data" / "brat_tutorial_news"
    _write_corpus(out / "news", (news / "kg.toml").read_text(encoding="utf-8"), _articles(news))
    brat = out / "astral" / "brat"
    brat.mkdir(parents=True, exist_ok=True)
    (brat / "astral.txt").write_text(ASTRAL_TEXT, encoding="utf-8")
    (brat / "astral.ann").write_text(ASTRAL_ANN, encoding="utf-8")
    (brat / "kg.toml").write_text('language = "en"\noutlet = "Test Wire"\n', encoding="utf-8")
    _write_corpus(out / "astral", (brat / "kg.toml").read_text(encoding="utf-8"), _articles(brat))


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        write_fixtures(OUT)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        write_fixtures(Path(tmp))
        made = {p.relative_to(tmp): p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}
        kept = {p.relative_to(OUT): p.read_bytes() for p in OUT.rglob("*") if p.is_file()}
        differ = sorted(str(k) for k in made.keys() | kept.keys() if made.get(k) != kept.get(k))
        for name in differ:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
