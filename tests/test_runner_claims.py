"""What a streaming run keeps across batches: entity counts, claims in buckets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.assembly import assemble
from pipeline.nlp.mentions import EntityTally
from pipeline.runner.claims import ClaimBuckets

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def corpus_run():
    """The real corpus, ingested, annotated and extracted (document by document)."""
    from pipeline.extract import extract_claims
    from pipeline.ingest import ingest_corpus
    from pipeline.nlp import annotate
    from pipeline.pack import load_pack

    docs, _ = ingest_corpus(CORPUS)
    pack = load_pack()
    by_doc = annotate(docs, pack)
    claims = [extract_claims(d, by_doc[d.document.doc_id], pack) for d in docs]
    return docs, by_doc, claims


def test_entity_tally_is_build_entities_batch_by_batch(corpus_run):
    from pipeline.nlp import build_entities

    _, by_doc, _ = corpus_run
    mentions = [m for ms in by_doc.values() for m in ms]
    tally = EntityTally()
    for ms in by_doc.values():  # one batch per document
        tally.add(ms)
    assert len(mentions) > 100
    assert tally.entities() == build_entities(mentions)


@pytest.mark.parametrize("max_in_memory", [0, 10, 100_000])
def test_assembly_bucket_by_bucket_is_assembly_of_all_claims(
    corpus_run, tmp_path: Path, max_in_memory: int
):
    """Documents added in another order (reversed, offered a spill one by one): the buckets
    give back each claim in run order, whether held in memory, spilled or both, and their
    assemblies concatenate to ``assemble(all)``."""
    _, _, per_doc = corpus_run
    everything = [c for claims in per_doc for c in claims]
    triples, evidence = assemble(everything)
    assert len(triples) > 50
    got_t, got_e, n = [], [], 0
    with ClaimBuckets(tmp_path, max_in_memory=max_in_memory) as buckets:
        for position in reversed(range(len(per_doc))):
            buckets.add(position, per_doc[position])
            buckets.spill()
        spilled = sorted(p.name for d in tmp_path.iterdir() for p in d.iterdir())
        assert bool(spilled) == (max_in_memory < len(everything))
        assert buckets.n_claims == len(everything)
        for bucket in buckets.buckets():
            t, e = assemble(bucket)
            got_t += t
            got_e += e
            n += 1
    assert n == ClaimBuckets.N_BUCKETS
    assert got_t == triples and got_e == evidence
    assert list(tmp_path.iterdir()) == []  # the spill folder is gone
