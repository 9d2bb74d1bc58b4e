"""Deterministic scaled corpus for the benchmarks: N abstract-like documents on disk.

A generated corpus must not flatter the pipeline (issue 16): the previous one repeated 70%
of its sentences exactly, so spaCy's tokenizer cache held nearly every word. Here each
document is a title line and one 200-300-word paragraph whose sentences are *rebuilt*:
every real sentence the project has (``TEXT_DIRS``: the corpus, the tests' abstracts; and
the tests' example sentences) is cut into clauses (a head, tails starting ", whereas",
"; and", an opener "Notably,"), and each generated sentence joins a head with tails of
other sentences. Entities are swapped, consistently within a document, for others of the
same type from the knowledge pack (ADCs, genes, partner drugs and the DrugBank stem subset,
payloads), generic phrases ("the ADC") sometimes get a name, cell lines and protein
changes are made up in their real shapes, numbers get fresh digits and sentences
sometimes end in a statistic ("(HR 0.61; 95% CI 0.45-0.83)"). What the result repeats is
measured on the written files (:class:`Variety`): the share of sentences that repeat an
earlier one exactly, and the distinct whitespace chunks of the first 1,000 documents.

Deterministic: document ``i`` depends only on (seed, i, sentence pool, vocabulary), so
the first 1,000 documents of the 10,000-document corpus are the 1,000-document corpus.
Documents are streamed to disk one at a time; only the pools are held in memory.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

GENERATOR_VERSION = "5"
DEFAULT_SEED = 20261121
MIN_WORDS, MAX_WORDS = 200, 300
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT / "corpus"
# All real text the project has: the corpus, and the tests' abstracts and example sentences.
TEXT_DIRS = (
    DEFAULT_CORPUS,
    REPO_ROOT / "tests" / "gold" / "heldout" / "abstracts",
    REPO_ROOT / "tests" / "fixtures" / "extract" / "abstracts",
)
TEST_SENTENCE_FILES = "tests/test_*.py"
DEFAULT_RESOURCES = REPO_ROOT / "pipeline" / "resources"
SUBSTITUTED_TYPES = ("ADC", "GENE", "DRUG", "PAYLOAD")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_FURNITURE = re.compile(
    r"https?://|www\.|@|©|\bdoi\b|PMCID|Download|Copyright|\t|\||\b(?:19|20)\d\d;\s*\d", re.I
)
_LETTER = re.compile(r"[A-Za-z]")
# Reference-list author runs ("Shain AH, Yeh I, Kovalyshyn I, ...") are not prose.
_AUTHORS = re.compile(r"(?:\b[A-Z][A-Za-z'-]+ [A-Z]{1,3}\b[,.]\s*){2,}|\bet al\.$")


@dataclass(frozen=True)
class SentencePool:
    """Candidate sentences (body) and titles, in corpus order, deduplicated."""

    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    source: str  # "ingest" | "split"

    def digest(self) -> str:
        h = hashlib.sha256()
        for s in (*self.sentences, "\x1e", *self.titles):
            h.update(s.encode("utf-8") + b"\x1f")
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class PackEntry:
    """One knowledge-pack entity as the generator sees it."""

    type: str  # ADC | GENE | DRUG
    canonical: str
    synonyms: tuple[str, ...] = ()
    case_sensitive: bool = False  # gene symbols: "MET" is a gene, "met" a verb


@dataclass(frozen=True)
class Vocabulary:
    """Entities by type (canonical name + insertable synonyms), and a matcher for all forms."""

    entities: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]  # type -> (canonical, syns)
    # casefolded surface -> (type, key, is canonical, exact form if case-sensitive else "")
    entity_of: dict[str, tuple[str, str, bool, str]]
    pattern: re.Pattern[str] | None
    source: str  # which files, or "none"
    span_cache: dict[str, tuple[tuple[int, int, str, str, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def digest(self) -> str:
        return hashlib.sha256(repr(sorted(self.entities.items())).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class CorpusInfo:
    """What was generated: written next to the corpus folder as ``<folder>.json``."""

    n_docs: int
    n_words: int
    n_word_types: int  # distinct whitespace-separated chunks: what the tokenizer cache sees
    n_bytes: int
    n_substitutions: int
    seed: int
    generator_version: str
    sentence_source: str
    pool_sentences: int
    pool_titles: int
    pool_digest: str
    vocabulary_source: str
    vocabulary_digest: str
    content_sha256: str
    repeated_sentence_share: float = 0.0  # measured on the written files (corpus_variety)
    distinct_chunks: int = 0  # whitespace chunks of the first (up to) 1,000 documents


# --------------------------------------------------------------------------- sentences


def is_prose(sentence: str) -> bool:
    """True for a sentence worth putting in an abstract: English prose, not page furniture."""
    words = sentence.split()
    if not 8 <= len(words) <= 60:
        return False
    if _FURNITURE.search(sentence) or _AUTHORS.search(sentence):
        return False
    if sum(not c.isascii() for c in sentence) > 0.03 * len(sentence):
        return False  # UI strings in other scripts; a few "α", "β", "–" are fine
    letters = len(_LETTER.findall(sentence))
    digits = sum(c.isdigit() for c in sentence)
    return letters >= 0.7 * len(sentence.replace(" ", "")) and digits <= 0.1 * len(sentence)


def split_sentences(raw: str) -> list[str]:
    """Fallback splitter: paragraphs (blank-line separated, lines joined), then punctuation."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", raw):
        text = " ".join(line.strip() for line in para.splitlines() if line.strip())
        out.extend(s.strip() for s in _SENTENCE_END.split(text) if s.strip())
    return out


_CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")


def strip_citations(sentence: str) -> str:
    """PubMed abstracts carry no bracketed citations ("[12]", "[3–5]"): drop them."""
    return _CITATION.sub("", sentence)


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _title_of(sentence: str) -> str:
    return sentence.rstrip(" .")


def pool_from_split(corpus_dir: Path) -> SentencePool:
    sentences = []
    for path in sorted(corpus_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        sentences.extend(s for s in map(strip_citations, split_sentences(raw)) if is_prose(s))
    sentences = list(_dedupe(sentences))
    titles = [_title_of(s) for s in sentences if len(s.split()) <= 25]
    return SentencePool(tuple(sentences), _dedupe(titles), "split")


def pool_from_ingest(corpus_dir: Path) -> SentencePool:
    """Cleaned sentences from the ingest stage; reference titles make realistic titles."""
    from pipeline.ingest import ingest_corpus

    docs, _ = ingest_corpus(corpus_dir)
    body: list[str] = []
    titles: list[str] = []
    for doc in sorted(docs, key=lambda d: d.document.file):
        for s in doc.sentences:
            text = strip_citations(s.text)
            if s.kind in ("reference_title", "title"):
                if is_prose(text) and len(text.split()) <= 30:
                    titles.append(_title_of(text))
            elif s.kind in ("abstract", "body", "caption") and is_prose(text):
                body.append(text)
    if not body:
        raise ValueError(f"ingest of {corpus_dir} gave no usable prose sentences")
    if not titles:
        titles = [_title_of(s) for s in body if len(s.split()) <= 25]
    return SentencePool(_dedupe(body), _dedupe(titles), "ingest")


def test_sentences(repo_root: Path = REPO_ROOT) -> list[str]:
    """Example sentences written in the extraction tests (string literals that are prose
    sentences; docstrings excluded), in file order."""
    out: list[str] = []
    for path in sorted(repo_root.glob(TEST_SENTENCE_FILES)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and node.value[:1].isupper()
                and node.value.rstrip().endswith(".")
                and "\n" not in node.value
                and "`" not in node.value
                and is_prose(node.value)
            ):
                out.append(node.value.strip())
    return out


def load_sentence_pool(
    corpus_dir: Path | None = None, source: str = "auto", with_tests: bool = True
) -> SentencePool:
    """Sentences and titles of every folder of :data:`TEXT_DIRS` (or ``corpus_dir`` alone),
    plus, with ``with_tests``, the extraction tests' example sentences.
    ``source``: "ingest", "split", or "auto" (ingest when its module is importable)."""
    if source == "auto":
        try:
            from pipeline.ingest import ingest_corpus  # noqa: F401

            source = "ingest"
        except ImportError:
            source = "split"
    load = pool_from_split if source == "split" else pool_from_ingest
    dirs = [Path(corpus_dir)] if corpus_dir is not None else [d for d in TEXT_DIRS if d.is_dir()]
    sentences: list[str] = []
    titles: list[str] = []
    for d in dirs:
        part = load(d)
        sentences += part.sentences
        titles += part.titles
    if with_tests and corpus_dir is None:
        sentences += test_sentences()
        source += "+tests"
    return SentencePool(_dedupe(sentences), _dedupe(titles), source)


# --------------------------------------------------------------------------- vocabulary


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def _split_synonyms(value: str) -> list[str]:
    return [s.strip() for s in re.split(r"[|;]", value) if s.strip()]


def _insertable(surface: str) -> bool:
    """Short bare abbreviations ("SG", "EV") mean nothing outside their defining document."""
    return len(surface) >= 4 or any(c.isdigit() for c in surface)


def build_vocabulary(entries: Iterable[PackEntry], source: str) -> Vocabulary:
    """Builds the matcher over every form and the table of what may be inserted.

    Every form is matched (short all-caps ones only in capitals, see ``substitute``); only
    canonical names and insertable synonyms are ever written into a document.
    """
    entities: dict[str, dict[str, tuple[str, ...]]] = {}
    entity_of: dict[str, tuple[str, str, bool, str]] = {}
    for e in entries:
        if e.type not in SUBSTITUTED_TYPES or not _LETTER.search(e.canonical):
            continue
        key = f"{e.type}:{e.canonical.casefold()}"
        forms = [f for f in dict.fromkeys([e.canonical, *e.synonyms]) if len(f) >= 2]
        for form in forms:
            if _LETTER.search(form):
                exact = form if e.case_sensitive else ""
                entity_of.setdefault(form.casefold(), (e.type, key, form == e.canonical, exact))
        syns = tuple(
            f for f in forms[1:] if _insertable(f) and f.casefold() != e.canonical.casefold()
        )
        entities.setdefault(e.type, {})[e.canonical] = syns
    if not entity_of:
        return Vocabulary({}, {}, None, "none")
    forms = sorted(entity_of, key=lambda f: (-len(f), f))
    pattern = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w|-\d)", re.IGNORECASE
    )
    table = {t: tuple(sorted(d.items())) for t, d in entities.items()}
    return Vocabulary(table, entity_of, pattern, source)


# The NER teammate's knowledge pack (pipeline/resources/README.md): file -> (type,
# canonical column, synonym columns, case-sensitive). A missing file is simply not used.
PACK_FILES: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    "adc_catalog.tsv": ("ADC", "inn", ("synonyms", "doc_defined_abbreviations"), False),
    "genes.tsv": ("GENE", "symbol", ("aliases", "aliases_cs", "doc_defined_aliases"), True),
    "partner_drugs.tsv": ("DRUG", "inn", ("synonyms",), False),
    "drugbank_stem_drugs.tsv": ("DRUG", "name", (), False),
    "payloads.tsv": ("PAYLOAD", "payload", ("synonyms",), False),
}


def read_pack_entries(resources_dir: Path) -> tuple[list[PackEntry], str]:
    """Entities of the pack's ADC, gene and partner-drug tables, in file order."""
    entries: list[PackEntry] = []
    used: list[str] = []
    for name, (etype, canonical_col, synonym_cols, case_sensitive) in PACK_FILES.items():
        path = resources_dir / name
        if not path.exists():
            continue
        used.append(name)
        for row in _read_tsv(path):
            canonical = row.get(canonical_col, "")
            if not canonical or row.get("match_symbol", "yes").lower() == "no":
                continue  # an ambiguous symbol (AR, BID) the NER does not match alone
            synonyms = tuple(s for c in synonym_cols for s in _split_synonyms(row.get(c, "")))
            entries.append(PackEntry(etype, canonical, synonyms, case_sensitive))
    return entries, ", ".join(used) or "none"


def load_vocabulary(resources_dir: Path = DEFAULT_RESOURCES) -> Vocabulary:
    """ADC, gene and partner-drug names from the knowledge pack's TSV files."""
    entries, source = read_pack_entries(resources_dir)
    return build_vocabulary(entries, source)


# --------------------------------------------------------------------------- documents


def entity_spans(sentence: str, vocab: Vocabulary) -> tuple[tuple[int, int, str, str, bool], ...]:
    """(start, end, type, key, is canonical) of every entity form in ``sentence``.

    Cached per clause: the pool holds a few thousand clauses reused many times, and one
    big alternation regex is the slow part of generating a document.
    """
    cached = vocab.span_cache.get(sentence)
    if cached is not None:
        return cached
    spans = []
    for match in vocab.pattern.finditer(sentence) if vocab.pattern else ():
        text = match.group(0)
        hit = vocab.entity_of.get(text.casefold())
        if hit is None or (len(text) <= 3 and not text.isupper() and text.isalpha()):
            continue  # short word matched case-insensitively ("sg"): not an entity
        etype, key, is_canonical, exact = hit
        if exact and text != exact:
            continue  # case-sensitive form in another case: not this entity
        spans.append((match.start(), match.end(), etype, key, is_canonical))
    vocab.span_cache[sentence] = result = tuple(spans)
    return result


def substitute(
    sentence: str, vocab: Vocabulary, mapping: dict[str, tuple[str, str]], rng: random.Random
) -> tuple[str, int]:
    """Swap every known entity for another of its type, the same one for the whole document.

    A canonical name is replaced by the new entity's canonical name, a synonym ("HER2",
    "T-DXd") by one of the new entity's synonyms, so texts keep their mix of both.
    """
    spans = entity_spans(sentence, vocab)
    parts: list[str] = []
    pos = 0
    for start, end, etype, key, is_canonical in spans:
        if key not in mapping:
            canonical, synonyms = rng.choice(vocab.entities[etype])
            mapping[key] = (canonical, rng.choice(synonyms) if synonyms else canonical)
        new = mapping[key][0 if is_canonical else 1]
        if sentence[start].isupper() and new[0].islower():
            new = new[0].upper() + new[1:]
        parts += [sentence[pos:start], new]
        pos = end
    parts.append(sentence[pos:])
    return "".join(parts), len(spans)


_NUMBER = re.compile(r"(?<![A-Za-z-])\d+(?:\.\d+)?(?![A-Za-z-])")


def vary_numbers(sentence: str, rng: random.Random) -> str:
    """Fresh digits for every number (years stay plausible years), as abstracts differ."""

    def repl(match: re.Match[str]) -> str:
        text = match.group(0)
        if len(text) == 4 and text[:2] in ("19", "20"):
            return str(rng.randint(1995, 2025))
        digits = [
            str(rng.randint(1 if i == 0 and c != "0" else 0, 9)) if c.isdigit() else c
            for i, c in enumerate(text)
        ]
        return "".join(digits)

    return _NUMBER.sub(repl, sentence)


# Cell lines: the pack has no cell-line table, so names are made in the shape real ones
# have ("MDA-MB-468", "NCI-N87", "JIMT-1"): a written cell line is swapped for a made one,
# and "... cells" sometimes gets one in front ("in KPL-412 cells").
_CELL_LINE = re.compile(
    r"\b[A-Z][A-Za-z]*\d*(?:-[A-Za-z]*\d+[A-Za-z]*)+(?= (?:cells?|cell lines?|xenografts?)\b)"
)
_CELLS = re.compile(
    r"\b(?:in|of|from|to|on|with) (?=(?:resistant |parental |tumou?r |cancer )?"
    r"(?:cells|xenografts|models|tumou?rs)\b)"
)
_UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ"


def cell_line_name(rng: random.Random, vocab: Vocabulary) -> str:
    """A cell-line-shaped name that is no entity of the pack ("KPL-412", "HCC-77B")."""
    while True:
        prefix = "".join(rng.choice(_UPPER) for _ in range(rng.randint(2, 4)))
        name = f"{prefix}-{rng.randint(1, 999)}"
        if rng.random() < 0.3:
            name += rng.choice(_UPPER)
        if name.casefold() not in vocab.entity_of:
            return name


def vary_cell_lines(clause: str, rng: random.Random, vocab: Vocabulary, lines: list[str]) -> str:
    """Swap written cell lines for made ones; name the cells of some "in cells" phrases.
    ``lines``: this document's cell lines so far (a document reuses its own)."""

    def pick() -> str:
        if lines and rng.random() < 0.6:
            return rng.choice(lines)
        lines.append(cell_line_name(rng, vocab))
        return lines[-1]

    clause = _CELL_LINE.sub(lambda m: pick(), clause)
    return _CELLS.sub(lambda m: m.group(0) + (pick() + " " if rng.random() < 0.7 else ""), clause)


# Clause recombination: a sentence is cut where a new clause begins (", whereas", ", which",
# "; "), and sentences are rebuilt from a head of one sentence, tails of others and, now
# and then, an opener ("Notably, ") of a third. The rebuilt sentences keep the corpus's
# phrasing and mention density, but almost none repeats (measured: ``corpus_variety``).
_CONNECTORS = (
    "and", "but", "which", "while", "whereas", "although", "though", "thereby", "thus",
    "leading", "resulting", "suggesting", "indicating", "as", "with", "where", "when",
    "because", "since", "making", "including", "allowing", "providing", "yet", "or",
)  # fmt: skip
_CLAUSE_CUT = re.compile(r"(?:,|;) (?=(?:" + "|".join(_CONNECTORS) + r") )")
_OPENER = re.compile(r"^((?:[A-Z][a-z]+)(?: [a-z]+){0,3}), (?=[a-z])")


@dataclass(frozen=True)
class ClausePool:
    """The pool's sentences cut into heads (a sentence's first clause, capitalised), tails
    (a later clause with its connector, "whereas X was not") and openers ("Notably")."""

    heads: tuple[str, ...]
    tails: tuple[str, ...]
    openers: tuple[str, ...]


def split_clauses(sentence: str) -> tuple[str, str, list[str]]:
    """(opener, head, tails) of one sentence, final punctuation dropped."""
    body = sentence.rstrip().rstrip(".!?").rstrip()
    opener = ""
    if m := _OPENER.match(body):
        opener, body = m.group(1), body[m.end() :]
        body = body[0].upper() + body[1:]
    pieces = _CLAUSE_CUT.split(body)
    seps = [m.group(0)[0] for m in _CLAUSE_CUT.finditer(body)]
    tails = [f"{sep} {piece}" for sep, piece in zip(seps, pieces[1:], strict=True)]
    return opener, pieces[0], tails


def clause_pool(pool: SentencePool) -> ClausePool:
    heads: list[str] = []
    tails: list[str] = []
    openers: list[str] = []
    # Cut first where the measure's plain splitter would (the ingest stage keeps some
    # "Fig. 2. The ..." together), so no clause holds a sentence end inside it.
    for sentence in (p for s in pool.sentences for p in split_sentences(s)):
        opener, head, rest = split_clauses(sentence)
        if opener:
            openers.append(opener)
        if len(head.split()) >= 4:
            heads.append(head)
        tails.extend(t for t in rest if len(t.split()) >= 3)
    return ClausePool(_dedupe(heads), _dedupe(tails), _dedupe(openers))


def _clauses_of(pool: SentencePool) -> ClausePool:
    key = pool.digest()
    if key not in _CLAUSES:
        _CLAUSES[key] = clause_pool(pool)
    return _CLAUSES[key]


_CLAUSES: dict[str, ClausePool] = {}


_AMINO = "ACDEFGHIKLMNPQRSTVWY"
_MUTATED = re.compile(r"\b([A-Z][A-Z0-9]{1,7})(?= (?:mutations?|mutants?|variants?)\b)")


def vary_mutations(text: str, rng: random.Random) -> str:
    """ "ESR1 mutations" -> "ESR1 Y537S mutations" now and then: the protein changes that
    resistance abstracts name, each made up."""

    def repl(m: re.Match[str]) -> str:
        if rng.random() < 0.5:
            return m.group(1)
        a, b = rng.choice(_AMINO), rng.choice(_AMINO)
        return f"{m.group(1)} {a}{rng.randint(10, 1200)}{b}"

    return _MUTATED.sub(repl, text)


def _vary(text: str, state: _DocState) -> str:
    out, n = substitute(text, state.vocab, state.mapping, state.rng)
    state.n_sub += n
    out = vary_cell_lines(out, state.rng, state.vocab, state.cell_lines)
    return vary_mutations(vary_numbers(out, state.rng), state.rng)


@dataclass
class _DocState:
    rng: random.Random
    vocab: Vocabulary
    mapping: dict[str, tuple[str, str]] = field(default_factory=dict)
    cell_lines: list[str] = field(default_factory=list)
    n_sub: int = 0


# What abstracts report in parentheses; the numbers are drawn fresh each time.
_STATISTICS = (
    "(n = {n})", "(P = 0.{p})", "(P < 0.0{d})", "({pct}% vs {pct2}%)",
    "(HR {hr}; 95% CI {lo}-{hi})", "(median {m} months)", "(IC50 {ic} nM)",
    "({n} of {n2} patients)", "(ORR {pct}%)",
)  # fmt: skip
# Generic phrases that a sentence sometimes names instead: "the ADC" -> an ADC of the pack.
_GENERIC = (
    (re.compile(r"\bthe (?:ADC|conjugate|antibody-drug conjugate)\b"), "ADC", "the {} "),
    (re.compile(r"\bthe payload\b"), "PAYLOAD", "the {} payload"),
    (re.compile(r"\bthe (?:target )?antigen\b"), "GENE", "the {} antigen"),
)


def _statistic(rng: random.Random) -> str:
    lo = rng.randint(20, 80)
    hi = rng.randint(lo + 1, 160) / 100
    values = {
        "n": rng.randint(5, 900),
        "n2": rng.randint(900, 2000),
        "p": rng.randint(1, 499),
        "d": rng.randint(1, 5),
        "pct": rng.randint(1, 99),
        "pct2": rng.randint(1, 99),
        "hr": f"0.{rng.randint(20, 99)}",
        "lo": f"0.{lo}",
        "hi": f"{hi:.2f}",
        "m": f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        "ic": f"{rng.randint(1, 999)}.{rng.randint(0, 9)}",
    }
    return rng.choice(_STATISTICS).format(**values)


def _name_generic(text: str, state: _DocState) -> str:
    for pattern, etype, form in _GENERIC:
        if etype in state.vocab.entities and state.rng.random() < 0.7:
            name, _ = state.rng.choice(state.vocab.entities[etype])
            text = pattern.sub(form.format(name).rstrip(), text, count=1)
    return text


def make_sentence(clauses: ClausePool, state: _DocState) -> str:
    """A head, one or two tails of other sentences, sometimes an opener; then varied."""
    rng = state.rng
    parts = [_vary(rng.choice(clauses.heads), state)]
    if clauses.tails:
        for _ in range(1 if rng.random() < 0.5 else 2):
            parts.append(_vary(rng.choice(clauses.tails), state))
    sentence = "".join(parts)  # each tail starts with its own ", " or "; "
    sentence = _name_generic(sentence, state)
    if clauses.openers and rng.random() < 0.35:
        first = sentence[0].lower() if sentence[1:2].islower() else sentence[0]
        sentence = f"{rng.choice(clauses.openers)}, {first}{sentence[1:]}"
    if rng.random() < 0.6:
        sentence = f"{sentence} {_statistic(rng)}"
    return sentence + "."


def make_document(
    index: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> tuple[str, int]:
    """Document ``index``: a title line, a blank line, then one 200-300-word paragraph."""
    clauses = _clauses_of(pool)
    state = _DocState(random.Random(f"adcm-bench:{seed}:{index}"), vocab)
    rng = state.rng
    title = _vary(rng.choice(pool.titles), state)
    short = [h for h in clauses.heads if len(h.split()) <= 14] or list(clauses.heads)
    sub = _vary(rng.choice(short), state)
    title = f"{title}: {sub[0].lower() if sub[1:2].islower() else sub[0]}{sub[1:]}"
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    body: list[str] = []
    n_words = 0
    while n_words < target:
        sentence = make_sentence(clauses, state)
        body.append(sentence)
        n_words += len(sentence.split())
    return f"{title}\n\n{' '.join(body)}\n", state.n_sub


def iter_documents(
    n: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> Iterator[tuple[str, str, int]]:
    """(file name, text, substitutions) for documents 0..n-1, one at a time."""
    for i in range(n):
        text, n_sub = make_document(i, pool, vocab, seed)
        yield f"bench_{i:05d}.txt", text, n_sub


def document_sentences(text: str) -> list[str]:
    """A generated document's title and its body's sentences (the plain punctuation split,
    not the generator's own cuts: the measure does not trust the thing it measures)."""
    title, _, body = text.partition("\n\n")
    return [title.strip(), *(s for s in split_sentences(body) if s)]


@dataclass
class Variety:
    """How much a corpus repeats itself: the two properties issue 16 asks of it."""

    n_docs: int = 0
    n_sentences: int = 0
    n_repeated: int = 0  # sentences that occurred earlier in the corpus, exactly
    chunks_first_1k: set[str] = field(default_factory=set)
    _seen: set[str] = field(default_factory=set)

    def add(self, text: str) -> None:
        for sentence in document_sentences(text):
            self.n_sentences += 1
            if sentence in self._seen:
                self.n_repeated += 1
            self._seen.add(sentence)
        if self.n_docs < 1000:
            self.chunks_first_1k.update(text.split())
        self.n_docs += 1

    def summary(self) -> dict[str, float | int]:
        docs_counted = min(self.n_docs, 1000)
        return {
            "repeated_sentence_share": round(self.n_repeated / max(1, self.n_sentences), 5),
            "distinct_chunks": len(self.chunks_first_1k),
            "distinct_chunks_docs": docs_counted,  # over the first (up to) 1,000 documents
            "n_sentences": self.n_sentences,
        }


def corpus_variety(texts: Iterable[str]) -> dict[str, float | int]:
    """Repeated-sentence share and distinct whitespace chunks of the first 1,000 texts."""
    v = Variety()
    for text in texts:
        v.add(text)
    return v.summary()


def write_corpus(
    out_dir: Path, n: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> CorpusInfo:
    """Stream ``n`` documents into ``out_dir`` (replaced atomically) and describe them."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    digest = hashlib.sha256()
    n_words = n_bytes = n_subs = 0
    types: set[str] = set()
    variety = Variety()
    try:
        for name, text, n_sub in iter_documents(n, pool, vocab, seed):
            data = text.encode("utf-8")
            (tmp / name).write_bytes(data)
            digest.update(name.encode() + b"\0" + data)
            words = text.split()
            n_words += len(words)
            types.update(words)
            variety.add(text)
            n_bytes += len(data)
            n_subs += n_sub
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    info = CorpusInfo(
        n_docs=n,
        n_words=n_words,
        n_word_types=len(types),
        n_bytes=n_bytes,
        n_substitutions=n_subs,
        seed=seed,
        generator_version=GENERATOR_VERSION,
        sentence_source=pool.source,
        pool_sentences=len(pool.sentences),
        pool_titles=len(pool.titles),
        pool_digest=pool.digest(),
        vocabulary_source=vocab.source,
        vocabulary_digest=vocab.digest(),
        content_sha256=digest.hexdigest(),
        repeated_sentence_share=variety.summary()["repeated_sentence_share"],
        distinct_chunks=len(variety.chunks_first_1k),
    )
    info_path(out_dir).write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
    return info


def info_path(corpus_dir: Path) -> Path:
    return corpus_dir.with_name(corpus_dir.name + ".json")


def ensure_corpus(
    out_dir: Path, n: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> CorpusInfo:
    """Reuse ``out_dir`` when it was generated from the same inputs; else (re)generate it."""
    path = info_path(Path(out_dir))
    if path.exists() and Path(out_dir).is_dir():
        try:
            info = CorpusInfo(**json.loads(path.read_text(encoding="utf-8")))
        except TypeError:  # written by an older generator version
            return write_corpus(Path(out_dir), n, pool, vocab, seed)
        same = (
            info.n_docs == n
            and info.seed == seed
            and info.generator_version == GENERATOR_VERSION
            and info.pool_digest == pool.digest()
            and info.vocabulary_digest == vocab.digest()
        )
        if same and len(list(Path(out_dir).glob("bench_*.txt"))) == n:
            return info
    return write_corpus(Path(out_dir), n, pool, vocab, seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="one folder of texts (default: TEXT_DIRS)"
    )
    parser.add_argument("--resources", type=Path, default=DEFAULT_RESOURCES)
    parser.add_argument("--sentences", choices=("auto", "ingest", "split"), default="auto")
    args = parser.parse_args(argv)
    pool = load_sentence_pool(args.corpus, args.sentences)
    vocab = load_vocabulary(args.resources)
    info = write_corpus(args.out, args.n, pool, vocab, args.seed)
    json.dump(asdict(info), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    raise SystemExit(main())
