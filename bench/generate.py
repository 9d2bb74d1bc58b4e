"""Deterministic scaled corpus for the benchmarks: N abstract-like documents on disk.

Why not just repeat the five corpus files: throughput and memory depend on document
length (abstracts, not 8,000-word reviews), on how many entities each sentence holds,
and on vocabulary variety (caches and matchers behave differently when every document
names the same three drugs). So each generated document is an abstract built from the
corpus's own sentences (a title line, then ~200-300 words), and the entities those
sentences name are swapped, consistently within a document, for other entities of the
same type from the knowledge pack (ADCs, genes, partner drugs). Mention density stays
what the corpus has; vocabulary spreads over the whole pack.

Deterministic: document ``i`` depends only on (seed, i, sentence pool, vocabulary), so
the first 1,000 documents of the 10,000-document corpus are the 1,000-document corpus.
Documents are streamed to disk one at a time; only the sentence pool is held in memory.

Sentences come from ``pipeline.ingest.ingest_corpus`` when it is available (cleaned
body/abstract/caption sentences; reference titles become document titles), else from a
plain paragraph-and-punctuation split of the raw files. Which one was used is recorded.
"""

from __future__ import annotations

import argparse
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

GENERATOR_VERSION = "4"
DEFAULT_SEED = 20261121
MIN_WORDS, MAX_WORDS = 200, 300
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT / "corpus"
DEFAULT_RESOURCES = REPO_ROOT / "pipeline" / "resources"
SUBSTITUTED_TYPES = ("ADC", "GENE", "DRUG")

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

    result = ingest_corpus(corpus_dir)
    docs = result if isinstance(result, list) else result[0]  # list[DocIngest] (+ problems)
    body: list[str] = []
    titles: list[str] = []
    for doc in sorted(docs, key=lambda d: d.document.file):
        for s in doc.sentences:
            text = strip_citations(s.text)
            if s.kind == "reference_title":
                if is_prose(text) and len(text.split()) <= 30:
                    titles.append(_title_of(text))
            elif s.kind in ("abstract", "body", "caption") and is_prose(text):
                body.append(text)
    if not body:
        raise ValueError(f"ingest of {corpus_dir} gave no usable prose sentences")
    if not titles:
        titles = [_title_of(s) for s in body if len(s.split()) <= 25]
    return SentencePool(_dedupe(body), _dedupe(titles), "ingest")


def load_sentence_pool(corpus_dir: Path, source: str = "auto") -> SentencePool:
    """``source``: "ingest", "split", or "auto" (ingest when its module is importable)."""
    if source == "split":
        return pool_from_split(corpus_dir)
    if source == "auto":
        try:
            from pipeline.ingest import ingest_corpus  # noqa: F401
        except ImportError:
            return pool_from_split(corpus_dir)
    return pool_from_ingest(corpus_dir)


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
        r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.IGNORECASE
    )
    table = {t: tuple(sorted(d.items())) for t, d in entities.items()}
    return Vocabulary(table, entity_of, pattern, source)


# The NER teammate's knowledge pack (pipeline/resources/README.md): file -> (type,
# canonical column, synonym columns, case-sensitive). A missing file is simply not used.
PACK_FILES: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    "adc_catalog.tsv": ("ADC", "inn", ("synonyms", "doc_defined_abbreviations"), False),
    "genes.tsv": ("GENE", "symbol", ("aliases", "aliases_cs", "doc_defined_aliases"), True),
    "partner_drugs.tsv": ("DRUG", "inn", ("synonyms",), False),
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

    Cached per sentence: the pool holds a few hundred sentences reused thousands of times,
    and one big alternation regex is the slow part of generating a document.
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
    """Fresh digits for every number (years stay plausible years), as abstracts differ.

    Without this, 10,000 documents drawn from a few hundred sentences have almost no new
    word types after the first hundred, and spaCy's tokenizer cache (10,000 chunks) would
    make the bare-tokenizer floor unrealistically fast.
    """

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


def make_document(
    index: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> tuple[str, int]:
    """Document ``index``: a title line, a blank line, then one 200-300-word paragraph."""
    rng = random.Random(f"adcm-bench:{seed}:{index}")
    mapping: dict[str, tuple[str, str]] = {}
    title, n_sub = substitute(rng.choice(pool.titles), vocab, mapping, rng)
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    body: list[str] = []
    n_words = 0
    while n_words < target:
        sentence, n = substitute(rng.choice(pool.sentences), vocab, mapping, rng)
        sentence = vary_numbers(sentence, rng)
        body.append(sentence)
        n_words += len(sentence.split())
        n_sub += n
    return f"{title}\n\n{' '.join(body)}\n", n_sub


def iter_documents(
    n: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> Iterator[tuple[str, str, int]]:
    """(file name, text, substitutions) for documents 0..n-1, one at a time."""
    for i in range(n):
        text, n_sub = make_document(i, pool, vocab, seed)
        yield f"bench_{i:05d}.txt", text, n_sub


def write_corpus(
    out_dir: Path, n: int, pool: SentencePool, vocab: Vocabulary, seed: int = DEFAULT_SEED
) -> CorpusInfo:
    """Stream ``n`` documents into ``out_dir`` (replaced atomically) and describe them."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    digest = hashlib.sha256()
    n_words = n_bytes = n_subs = 0
    types: set[str] = set()  # bounded by the pool's vocabulary, not by n
    try:
        for name, text, n_sub in iter_documents(n, pool, vocab, seed):
            data = text.encode("utf-8")
            (tmp / name).write_bytes(data)
            digest.update(name.encode() + b"\0" + data)
            words = text.split()
            n_words += len(words)
            types.update(words)
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
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
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
