"""Which references a sentence cites, resolved to DOI / PMID / PMCID for the evidence table."""

from __future__ import annotations

from collections import defaultdict

from pipeline.model import DocIngest, Reference, Sentence


def format_ref(number: int, ref: Reference | None) -> str:
    """``"N|doi:..|pmid:..|pmcid:.."`` (identifiers empty when the reference list lacks them)."""
    doi = ref.doi if ref else ""
    pmid = ref.pmid if ref else ""
    pmcid = ref.pmcid if ref else ""
    return f"{number}|doi:{doi}|pmid:{pmid}|pmcid:{pmcid}"


class CitationIndex:
    """Per-document lookup: sentence index -> "; "-joined resolved references."""

    def __init__(self, doc: DocIngest) -> None:
        self._refs = {r.number: r for r in doc.references}
        self._by_sentence: dict[int, set[int]] = defaultdict(set)
        for c in doc.citations:
            self._by_sentence[c.sentence_index].add(c.ref_number)

    def cited_numbers(self, sentence: Sentence) -> list[int]:
        numbers = set(self._by_sentence.get(sentence.sentence_index, ()))
        if sentence.kind == "reference_title" and sentence.ref_number is not None:
            numbers.add(sentence.ref_number)  # a reference title is evidence from that paper
        return sorted(numbers)

    def cited_refs(self, sentence: Sentence) -> str:
        return "; ".join(format_ref(n, self._refs.get(n)) for n in self.cited_numbers(sentence))


def paper_keys(doc_id: str, cited_refs: str) -> set[str]:
    """Identity of each cited paper: its DOI/PMID/PMCID, else the (document, number) slot."""
    keys: set[str] = set()
    for item in filter(None, (p.strip() for p in cited_refs.split(";"))):
        number, *ids = item.split("|")
        found = [i.lower() for i in ids if ":" in i and i.split(":", 1)[1]]
        keys.add(min(found) if found else f"{doc_id}#{number}")
    return keys
