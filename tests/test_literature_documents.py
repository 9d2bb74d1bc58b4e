"""Abstracts as documents: ids, sentence offsets, and identifiers every sentence cites."""

from __future__ import annotations

from pipeline.literature.documents import (
    SELF_REF,
    abstract_doc_id,
    abstract_documents,
)
from pipeline.model import ResolvedReference

ABSTRACT = (
    "Background\nSynthetic fixture abstract. Loss of HER2 (e.g. after T-DM1) caused resistance.\n"
    "Results\nCombination with a PARP inhibitor restored sensitivity vs. control. It worked."
)


def resolved(number=1, doc_id="review1", abstract=ABSTRACT, status="resolved"):
    return ResolvedReference(
        doc_id=doc_id,
        number=number,
        status=status,
        method="pmid",
        pmid="90000001",
        pmcid="PMC9000001",
        doi="10.5555/adcm.0001",
        title="A synthetic title.",
        authors="Liu K; Li M",
        journal="Molecular cancer",
        year="2024",
        abstract=abstract,
        source="europepmc",
    )


def test_one_document_per_distinct_abstract():
    docs = abstract_documents(
        [
            resolved(1),
            resolved(7, doc_id="review2"),
            resolved(2, status="ambiguous"),
            resolved(3, abstract=""),
        ]
    )
    assert len(docs) == 1
    d = docs[0].document
    assert d.doc_id == abstract_doc_id(ABSTRACT) and d.kind == "abstract"
    assert d.doi == "10.5555/adcm.0001" and d.source_url.endswith("/MED/90000001")
    assert d.file == "abstract/pmid:90000001"


def test_sentences_index_the_document_text_and_cite_the_paper():
    (doc,) = abstract_documents([resolved()])
    text = doc.document.text
    for s in doc.sentences:
        assert text[s.char_start : s.char_end] == s.text
    kinds = [(s.kind, s.section) for s in doc.sentences]
    assert kinds[0] == ("title", "Title") and ("heading", "Results") in kinds
    body = [s.text for s in doc.sentences if s.kind == "abstract"]
    assert body == [
        "Synthetic fixture abstract.",
        "Loss of HER2 (e.g. after T-DM1) caused resistance.",
        "Combination with a PARP inhibitor restored sensitivity vs. control.",
        "It worked.",
    ]
    (ref,) = doc.references
    assert (ref.number, ref.pmid, ref.pmcid, ref.doi) == (
        SELF_REF,
        "90000001",
        "PMC9000001",
        "10.5555/adcm.0001",
    )
    cited = {c.sentence_index for c in doc.citations}
    assert cited == {s.sentence_index for s in doc.sentences if s.kind != "heading"}
    assert all(c.ref_number == SELF_REF and c.resolved for c in doc.citations)


def test_evidence_from_an_abstract_cites_the_papers_identifiers():
    """Extraction's citation index (what fills Evidence.cited_refs) sees the paper's ids."""
    from pipeline.extract.citations import CitationIndex

    (doc,) = abstract_documents([resolved()])
    index = CitationIndex(doc)
    sentence = next(s for s in doc.sentences if s.kind == "abstract")
    assert index.cited_refs(sentence) == "1|doi:10.5555/adcm.0001|pmid:90000001|pmcid:PMC9000001"
