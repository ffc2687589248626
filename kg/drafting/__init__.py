"""Drafting annotations for a person to correct, and learning to draft from annotated corpora.

* :mod:`kg.drafting.rules` — cue phrases the ontology carries (relations, events, figures, qualifiers,
  claimants), number words; no model needed;
* :mod:`kg.drafting.gold` — annotated articles read through kg's corpus readers;
* :mod:`kg.drafting.crf` — the entity recogniser, a CRF (python-crfsuite); :mod:`kg.drafting.ner` — the
  spaCy one (optional extra ``draft``; ``kg train --recogniser spacy``);
* :mod:`kg.drafting.relations` — relations between mentions: rules and a pair classifier;
* :mod:`kg.drafting.model` — the model folder; :mod:`kg.drafting.train` — ``kg train``;
* :mod:`kg.drafting.annotate` — what is drafted; :mod:`kg.drafting.output` — YAML and brat drafts that keep a
  person's corrections; :mod:`kg.drafting.markers` — the draft marker, and ``kg check``'s draft warnings;
* :mod:`kg.drafting.scores`, :mod:`kg.drafting.evaluate` — ``kg evaluate``.
"""
