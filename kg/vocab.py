"""The vocabulary every module shares: namespaces, SPARQL prefixes and the claim flags, written once.

Terms of the ontology itself (types, relations, roles, colours) are read from ``ontology/`` by
:mod:`kg.ontology`; this module holds only the namespace strings and names that code needs before (or
without) loading it.

>>> KG + "commands"
'https://w3id.org/kg/ontology#commands'
>>> FLAGS
('negated', 'uncertain', 'former', 'intended')
>>> PREFIXES["prov"]
'http://www.w3.org/ns/prov#'
"""

from __future__ import annotations

KG = "https://w3id.org/kg/ontology#"
ACLED = "https://w3id.org/kg/acled#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"

#: Where instance data lives unless a corpus's ``kg.toml`` gives another ``base``.
ID_BASE = "https://w3id.org/kg/id/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"

#: Prefixes declared for every query (``kg query``, ``kg serve``) and used when writing Turtle and TriG.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "acled": ACLED,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCT,
    "schema": SCHEMA,
}

#: The boolean flags a claim can carry (``kg:negated`` …), in the order the ontology defines them.
FLAGS: tuple[str, ...] = ("negated", "uncertain", "former", "intended")
#: Flags that events carry too (an event can be denied or unconfirmed, not "former").
EVENT_FLAGS: tuple[str, ...] = ("negated", "uncertain")


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX`` lines for a query text (for servers that do not take prefixes as a parameter).

    >>> sparql_prologue({"kg": KG})
    'PREFIX kg: <https://w3id.org/kg/ontology#>\\n'
    """
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or PREFIXES).items())
