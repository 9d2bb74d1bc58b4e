"""Knowledge-base refresh semantics on hand-built records (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pipeline.kb import lock, runs, schema
from pipeline.kb.db import get_engine
from pipeline.kb.query import query_triples
from pipeline.kb.refresh import (
    DocResult,
    SeenDocument,
    WorkItem,
    apply_renames,
    plan_refresh,
    remove_documents,
    seen_documents,
    store_batch,
)
from pipeline.model import (
    Citation,
    Claim,
    DocIngest,
    Document,
    Evidence,
    Mention,
    Reference,
    Sentence,
    Triple,
    make_triple_id,
)

V1 = "xversion1"


def make_doc(doc_id: str, file: str, sentences: list[str]) -> DocIngest:
    text = " ".join(sentences)
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(doc_id, i, "Body", "body", pos, pos + len(s), s, False, False))
        pos += len(s) + 1
    document = Document(doc_id, file, f"title {file}", "A B", "J", "2024", "", "review_page",
                        "", "", "text", len(text), len(text), text)  # fmt: skip
    refs = [Reference(doc_id, 1, True, "raw", "X", "t", "j", "2020", "", "", "", "10.1/x", "1", "")]
    cites = [Citation(doc_id, 0, 1, "[1]", True)]
    return DocIngest(document, sents, refs, cites)


def make_mention(doc: DocIngest, i: int, word: str, entity_id: str, etype: str) -> Mention:
    s = doc.sentences[i]
    start = s.char_start + s.text.index(word)
    return Mention(s.doc_id, i, start, start + len(word), word, etype, entity_id, word, "pack")


def make_claim(
    doc: DocIngest, i: int, drug: str, mech_cat: str, gene: str, hedged=False, negated=False
) -> Claim:
    drug_id = "adc:" + drug.replace(" ", "_")
    tid = make_triple_id(drug_id, mech_cat, gene, "", "")
    triple = Triple(tid, drug, drug_id, f"{gene} loss", mech_cat, gene, "", "", "")
    s = doc.sentences[i]
    cited = "1|doi:10.1/x|pmid:1|pmcid:"
    ev = Evidence(tid, s.doc_id, s.section, i, s.char_start, s.char_end, s.text, cited,
                  negated, hedged, "test@extract-1")  # fmt: skip
    return Claim(triple, ev)


def result(doc: DocIngest, action: str, claims: list[Claim], previous: str = "") -> DocResult:
    mentions = [make_mention(doc, 0, doc.sentences[0].text.split()[0], "hgnc:ERBB2", "GENE")]
    item = WorkItem(doc.document.doc_id, doc.document.file, action, previous)
    return DocResult(item, doc, mentions, claims)


def begin_run(url: str, run_id: str) -> None:
    engine = get_engine(url)
    lock.acquire(engine, run_id, 3600)
    runs.start_run(engine, run_id, V1, "corpus")


def end_run(url: str, run_id: str) -> None:
    lock.release(get_engine(url), run_id)


def triple_rows(url: str) -> dict[str, object]:
    with get_engine(url).connect() as conn:
        return {r.triple_id: r for r in conn.execute(select(schema.triples))}


def count(url: str, table) -> int:  # noqa: ANN001
    with get_engine(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


DOC_A = ["ERBB2 loss confers resistance to T-DM1.", "Other text here."]
DOC_B = ["ERBB2 loss again limits T-DM1.", "ABCB1 efflux limits T-DXd."]


def first_run(url: str) -> tuple[DocIngest, DocIngest]:
    a = make_doc("aaaa000000000001", "a.txt", DOC_A)
    b = make_doc("bbbb000000000001", "b.txt", DOC_B)
    begin_run(url, "r1")
    store_batch(get_engine(url), "r1", V1, [
        result(a, "added", [make_claim(a, 0, "trastuzumab emtansine", "antigen_loss", "ERBB2")]),
        result(b, "added", [
            make_claim(b, 0, "trastuzumab emtansine", "antigen_loss", "ERBB2", hedged=True),
            make_claim(b, 1, "trastuzumab deruxtecan", "drug_efflux", "ABCB1"),
        ]),
    ])  # fmt: skip
    end_run(url, "r1")
    return a, b


def test_first_run_stores_documents_and_counts_triples(kb_url: str) -> None:
    first_run(kb_url)
    rows = triple_rows(kb_url)
    assert len(rows) == 2
    shared = rows[make_triple_id("adc:trastuzumab_emtansine", "antigen_loss", "ERBB2", "", "")]
    assert (shared.n_evidence, shared.n_documents, shared.n_hedged) == (2, 2, 1)
    assert 0 < shared.confidence < 1
    assert shared.first_seen_run == "r1" and shared.retired_in_run is None
    assert count(kb_url, schema.documents) == 2
    assert count(kb_url, schema.sentences) == 4
    assert count(kb_url, schema.evidence) == 3
    assert count(kb_url, schema.entities) == 1
    assert count(kb_url, schema.run_documents) == 2  # one action row per document
    seen = seen_documents(get_engine(kb_url))
    assert set(seen) == {"aaaa000000000001", "bbbb000000000001"}
    assert {s.extraction_version for s in seen.values()} == {V1}


def test_changed_document_replaces_its_content_and_recounts(kb_url: str) -> None:
    a, b = first_run(kb_url)
    b2 = make_doc("bbbb000000000002", "b.txt", ["ERBB2 loss limits T-DM1 again.", "No claim."])
    begin_run(kb_url, "r2")
    claims = [make_claim(b2, 0, "trastuzumab emtansine", "antigen_loss", "ERBB2")]
    store_batch(get_engine(kb_url), "r2", V1, [result(b2, "changed", claims, "bbbb000000000001")])
    end_run(kb_url, "r2")
    rows = triple_rows(kb_url)
    shared = rows[make_triple_id("adc:trastuzumab_emtansine", "antigen_loss", "ERBB2", "", "")]
    assert (shared.n_evidence, shared.n_hedged, shared.updated_in_run) == (2, 0, "r2")
    efflux = rows[make_triple_id("adc:trastuzumab_deruxtecan", "drug_efflux", "ABCB1", "", "")]
    assert efflux.retired_in_run == "r2" and efflux.n_evidence == 0  # kept, not deleted
    with get_engine(kb_url).connect() as conn:
        docs = {r.doc_id for r in conn.execute(select(schema.documents.c.doc_id))}
        old_sentences = conn.execute(
            select(func.count())
            .select_from(schema.sentences)
            .where(schema.sentences.c.doc_id == "bbbb000000000001")
        ).scalar_one()
    assert docs == {"aaaa000000000001", "bbbb000000000002"}
    assert old_sentences == 0
    assert runs.triple_changes(get_engine(kb_url), "r2") == {
        "triples_new": 0,
        "triples_updated": 1,
        "triples_retired": 1,
        "triples_active": 1,
    }


def test_removed_document_retires_orphan_triples_and_revival(kb_url: str) -> None:
    a, b = first_run(kb_url)
    engine = get_engine(kb_url)
    begin_run(kb_url, "r2")
    remove_documents(engine, "r2", [SeenDocument("bbbb000000000001", "b.txt", V1)])
    end_run(kb_url, "r2")
    rows = triple_rows(kb_url)
    efflux_id = make_triple_id("adc:trastuzumab_deruxtecan", "drug_efflux", "ABCB1", "", "")
    assert rows[efflux_id].retired_in_run == "r2"
    assert count(kb_url, schema.evidence) == 1
    assert count(kb_url, schema.references) == 1  # only a.txt's
    # The document comes back: the retired triple is revived, not duplicated.
    begin_run(kb_url, "r3")
    store_batch(engine, "r3", V1, [result(b, "added", [
        make_claim(b, 1, "trastuzumab deruxtecan", "drug_efflux", "ABCB1")])])  # fmt: skip
    end_run(kb_url, "r3")
    revived = triple_rows(kb_url)[efflux_id]
    assert revived.retired_in_run is None and revived.n_evidence == 1
    assert revived.first_seen_run == "r1" and revived.updated_in_run == "r3"


def test_renamed_documents_keep_their_content_and_are_recorded(kb_url: str) -> None:
    first_run(kb_url)
    engine = get_engine(kb_url)
    begin_run(kb_url, "r2")
    apply_renames(engine, "r2", [("aaaa000000000001", "a.txt", "a2.txt"),
                                 ("bbbb000000000001", "b.txt", "b2.txt")])  # fmt: skip
    end_run(kb_url, "r2")
    with engine.connect() as conn:
        docs = schema.documents.c
        files = {r.doc_id: r.file for r in conn.execute(select(docs.doc_id, docs.file))}
        rd = schema.run_documents.c
        query = select(rd.doc_id, rd.action, rd.file).where(rd.run_id == "r2")
        actions = {tuple(r) for r in conn.execute(query)}
    assert files == {"aaaa000000000001": "a2.txt", "bbbb000000000001": "b2.txt"}
    assert actions == {("aaaa000000000001", "renamed", "a2.txt"),
                       ("bbbb000000000001", "renamed", "b2.txt")}  # fmt: skip
    assert count(kb_url, schema.evidence) == 3  # content untouched


def test_reextraction_is_idempotent(kb_url: str) -> None:
    a, b = first_run(kb_url)
    before = {k: (r.n_evidence, r.confidence) for k, r in triple_rows(kb_url).items()}
    begin_run(kb_url, "r2")
    claims = [make_claim(a, 0, "trastuzumab emtansine", "antigen_loss", "ERBB2")]
    store_batch(get_engine(kb_url), "r2", V1, [result(a, "reextracted", claims)])
    end_run(kb_url, "r2")
    after = {k: (r.n_evidence, r.confidence) for k, r in triple_rows(kb_url).items()}
    assert after == before
    assert runs.triple_changes(get_engine(kb_url), "r2")["triples_updated"] == 0


def test_failed_batch_rolls_back_completely(kb_url: str) -> None:
    first_run(kb_url)
    engine = get_engine(kb_url)
    before = (count(kb_url, schema.sentences), count(kb_url, schema.evidence))
    b2 = make_doc("bbbb000000000002", "b.txt", ["ERBB2 loss x.", "y."])
    bad = result(b2, "changed", [], "bbbb000000000001")
    bad.mentions.append(bad.mentions[0])  # duplicate row breaks nothing ...
    bad.doc.sentences.append(bad.doc.sentences[0])  # ... but a duplicate key must abort
    begin_run(kb_url, "r2")
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError of either dialect
        store_batch(engine, "r2", V1, [bad])
    end_run(kb_url, "r2")
    assert (count(kb_url, schema.sentences), count(kb_url, schema.evidence)) == before
    assert "bbbb000000000001" in seen_documents(engine)


def test_plan_classifies_every_kind_of_change() -> None:
    seen = {
        "d1": SeenDocument("d1", "same.txt", V1),
        "d2": SeenDocument("d2", "edited.txt", V1),
        "d3": SeenDocument("d3", "deleted.txt", V1),
        "d4": SeenDocument("d4", "old_code.txt", "xold"),
        "d5": SeenDocument("d5", "old_name.txt", V1),
        "d6": SeenDocument("d6", "unreadable.txt", V1),
    }
    current = {
        "d1": "same.txt",
        "d2b": "edited.txt",
        "d4": "old_code.txt",
        "d5": "new_name.txt",
        "d7": "new.txt",
    }
    plan = plan_refresh(current, seen, V1, failed_files={"unreadable.txt"})
    assert {(w.doc_id, w.action, w.previous_doc_id) for w in plan.work} == {
        ("d2b", "changed", "d2"),
        ("d4", "reextracted", ""),
        ("d7", "added", ""),
    }
    assert [s.doc_id for s in plan.removed] == ["d3"]
    assert [s.doc_id for s in plan.kept_failed] == ["d6"]
    assert plan.renamed == [("d5", "old_name.txt", "new_name.txt")]
    assert sorted(plan.unchanged) == ["d1", "d5"]


def test_a_triple_every_evidence_of_which_is_negated_is_a_negative_finding(kb_url: str) -> None:
    a = make_doc("aaaa000000000001", "a.txt", DOC_A)
    b = make_doc("bbbb000000000001", "b.txt", DOC_B)
    tid = make_triple_id("adc:trastuzumab_deruxtecan", "drug_efflux", "ABCG2", "", "")
    begin_run(kb_url, "r1")
    store_batch(get_engine(kb_url), "r1", V1, [
        result(a, "added", [make_claim(a, 0, "trastuzumab deruxtecan", "drug_efflux", "ABCG2",
                                       negated=True)]),
    ])  # fmt: skip
    end_run(kb_url, "r1")
    assert triple_rows(kb_url)[tid].polarity == "negated"
    engine = get_engine(kb_url)
    assert [r["triple_id"] for r in query_triples(engine, polarity="negated")] == [tid]
    assert query_triples(engine, polarity="affirmed") == []
    begin_run(kb_url, "r2")  # a second document affirms it
    store_batch(engine, "r2", V1, [
        result(b, "added", [make_claim(b, 1, "trastuzumab deruxtecan", "drug_efflux", "ABCG2")]),
    ])  # fmt: skip
    end_run(kb_url, "r2")
    row = triple_rows(kb_url)[tid]
    assert (row.polarity, row.n_evidence, row.n_negated) == ("affirmed", 2, 1)


def test_a_schema_2_knowledge_base_gains_polarity_when_opened(tmp_path) -> None:
    url = f"sqlite:///{(tmp_path / 'kb.sqlite').as_posix()}"
    a = make_doc("aaaa000000000001", "a.txt", DOC_A)
    begin_run(url, "r1")
    store_batch(get_engine(url), "r1", V1, [
        result(a, "added", [make_claim(a, 0, "trastuzumab deruxtecan", "drug_efflux", "ABCG2",
                                       negated=True)]),
    ])  # fmt: skip
    end_run(url, "r1")
    with get_engine(url).begin() as conn:  # what schema 2 wrote: no polarity column
        conn.exec_driver_sql("ALTER TABLE triples DROP COLUMN polarity")
        meta = schema.kb_meta
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="2"))
    get_engine(url).dispose()
    get_engine.cache_clear()
    assert [r.polarity for r in triple_rows(url).values()] == ["negated"]
