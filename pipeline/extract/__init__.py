"""Relation extraction: sentence-level drug - mechanism - strategy claims with evidence.

The vocabularies come from the knowledge pack (:mod:`pipeline.pack`), passed in. Modules:
``slots`` (drugs, genes), ``phrases`` (cue/phrase-named mechanisms and strategies),
``drugs`` (which drug a claim is about: resisted, treatment history, sequencing,
comparator arms), ``linking`` (strategy -> mechanism), ``negation`` (scope of negation and
hedging), ``frame`` (whether a sentence can state a claim), ``reading`` (its cue spans),
``contrast`` (sensitive vs resistant groups), ``context`` (resistant models, pointers),
``strategies`` (strategy choice), ``claims`` (claim records), ``relations`` (one sentence
-> claims), ``document`` (one document -> claims, document-defined cue abbreviations),
``citations`` (cited references of a sentence).
"""

from pipeline.extract.document import extract_claims
from pipeline.extract.relations import EXTRACTOR_VERSION, sentence_claims

__all__ = ["EXTRACTOR_VERSION", "extract_claims", "sentence_claims"]
