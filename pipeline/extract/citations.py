"""Which references a sentence cites, resolved to DOI / PMID / PMCID for the evidence table."""

from __future__ import annotations

from collections import defaultdict

from pipeline.cited_refs import format_ref
from pipeline.model import DocIngest, Reference, Sentence


def _item(number: int, ref: Reference | None) -> str:
    return format_ref(number, ref.doi, ref.pmid, ref.pmcid) if ref else format_ref(number)


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
        return "; ".join(_item(n, self._refs.get(n)) for n in self.cited_numbers(sentence))
