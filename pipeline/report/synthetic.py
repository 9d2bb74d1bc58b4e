"""Synthetic report tables with the exact export columns, for scale tests and benchmarks.

Not data: the sentences are templated from the controlled vocabularies, so a 5,000-triple
report can be built and timed in a browser before (or without) a real extraction run.
"""

from __future__ import annotations

import random

import pandas as pd

from pipeline.model import (
    MECHANISM_CATEGORIES,
    STRATEGY_CATEGORIES,
    Document,
    Evidence,
    InferredTriple,
    Mention,
    Reference,
    Sentence,
    Triple,
    make_triple_id,
)
from pipeline.report.prepare import TABLE_COLUMNS
from pipeline.tables import SPECS, to_arrow

_DRUGS = [
    "trastuzumab emtansine", "trastuzumab deruxtecan", "sacituzumab govitecan",
    "datopotamab deruxtecan", "enfortumab vedotin", "tisotumab vedotin",
    "mirvetuximab soravtansine", "brentuximab vedotin", "polatuzumab vedotin",
    "disitamab vedotin", "gemtuzumab ozogamicin", "antibody-drug conjugate",
]  # fmt: skip
_GENES = ["ERBB2", "TACSTD2", "ABCB1", "ABCG2", "SLFN11", "TOP1", "CAV1", "RAB5A", "PTEN",
          "ERBB3", "BCL2", "MCL1", "CCNB1", "YES1", "NECTIN4", "SLC46A3"]  # fmt: skip
_PARTNERS = ["pembrolizumab", "olaparib", "tucatinib", "bevacizumab", "cyclosporine A", "Ko143",
             "alpelisib", "venetoclax", "capecitabine", "fulvestrant"]  # fmt: skip


def synthetic_tables(n_triples: int = 5000, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Tables for ``n_triples`` distinct triples with 1-4 evidence rows each."""
    rng = random.Random(seed)
    n_docs = max(1, min(50, n_triples // 100))
    docs = [
        Document(
            f"d{i:03d}",
            f"{i:03d}.txt",
            f"Synthetic review {i} on ADC resistance",
            "A. Author",
            "Journal of Tests",
            str(2015 + i % 10),
            f"10.1234/test.{i}",
            "full_review",
            "",
            "CC BY 4.0",
            "manifest",
            1000,
            1000,
        )  # fmt: skip
        for i in range(n_docs)
    ]
    refs = [
        Reference(
            d.doc_id,
            n,
            True,
            f"Ref {n}",
            "B. Author",
            f"Primary paper {d.doc_id}-{n}",
            "Cancer Res",
            "2020",
            "1",
            "1",
            "1-2",
            f"10.5555/{d.doc_id}.{n}",
            str(30000000 + i * 100 + n),
            f"PMC{700000 + i * 100 + n}",
        )  # fmt: skip
        for i, d in enumerate(docs)
        for n in range(1, 41)
    ]
    triples: list[Triple] = []
    evidence: list[Evidence] = []
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    inferred: list[InferredTriple] = []
    seen: set[str] = set()
    sent_counter = {d.doc_id: 0 for d in docs}
    while len(triples) < n_triples:
        drug = rng.choice(_DRUGS)
        mcat = rng.choice(MECHANISM_CATEGORIES)
        gene = rng.choice(_GENES) + ("" if rng.random() < 0.7 else f"-{rng.randint(1, 999)}")
        has_strategy = rng.random() < 0.6
        scat = rng.choice(STRATEGY_CATEGORIES) if has_strategy else ""
        partner = rng.choice(_PARTNERS) + f" {rng.randint(1, 99)}" if has_strategy else ""
        drug_id = "adc:" + drug.replace(" ", "_")
        tid = make_triple_id(drug_id, mcat, gene, scat, partner)
        if tid in seen:
            continue
        seen.add(tid)
        n_ev = rng.randint(1, 4)
        flags = [(rng.random() < 0.08, rng.random() < 0.25) for _ in range(n_ev)]
        for negated, hedged in flags:
            doc = rng.choice(docs)
            si = sent_counter[doc.doc_id]
            sent_counter[doc.doc_id] += 1
            start = si * 300
            verb = "may confer" if hedged else ("did not confer" if negated else "confers")
            text = f"{gene} upregulation {verb} resistance to {drug}"
            text += f", which {partner} overcomes." if partner else "."
            nrefs = rng.randint(0, 3)
            numbers = sorted(rng.sample(range(1, 41), nrefs))
            cited = "; ".join(
                f"{n}|doi:10.5555/{doc.doc_id}.{n}|pmid:{30000000 + int(doc.doc_id[1:]) * 100 + n}"
                f"|pmcid:PMC{700000 + int(doc.doc_id[1:]) * 100 + n}"
                for n in numbers
            )
            sentences.append(Sentence(doc.doc_id, si, "Mechanisms", "body", start,
                                      start + len(text), text, False, False))  # fmt: skip
            evidence.append(Evidence(tid, doc.doc_id, "Mechanisms", si, start, start + len(text),
                                     text, cited, negated, hedged, "synthetic/1"))  # fmt: skip
            for surface, mtype, eid, canon in (
                (gene, "GENE", f"hgnc:{gene}", gene),
                (drug, "ADC", drug_id, drug),
                (partner, "DRUG", f"drug:{partner}", partner),
            ):
                if surface:
                    off = text.index(surface)
                    mentions.append(Mention(doc.doc_id, si, start + off, start + off + len(surface),
                                            surface, mtype, eid, canon, "rule"))  # fmt: skip
        docs_used = {e.doc_id for e in evidence[-n_ev:]}
        triples.append(
            Triple(
                tid,
                drug,
                drug_id,
                f"{gene} upregulation",
                mcat,
                gene,
                f"{partner} combination" if partner else "",
                scat,
                partner,
                n_ev,
                len(docs_used),
                sum(1 for e in evidence[-n_ev:] for _ in e.cited_refs.split(";") if e.cited_refs),
                sum(f[0] for f in flags),
                sum(f[1] for f in flags),
                round(rng.random(), 3),
            )  # fmt: skip
        )
        if mcat in ("antigen_loss", "payload_resistance") and rng.random() < 0.3:
            other = rng.choice([d for d in _DRUGS if d != drug])
            basis = "target" if mcat == "antigen_loss" else "payload_class"
            inferred.append(InferredTriple(tid, other, drug, basis, gene, mcat, gene))
    records = {
        "triples": triples,
        "evidence": evidence,
        "inferred_triples": inferred,
        "documents": docs,
        "sentences": sentences,
        "references": refs,
        "mentions": mentions,
    }
    return {
        name: to_arrow(SPECS[name], rows, presorted=True).to_pandas()[TABLE_COLUMNS[name]]
        for name, rows in records.items()
    }
