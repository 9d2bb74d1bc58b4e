"""The knowledge pack: the vocabularies in ``pipeline/resources/`` (or the folder of the
``resources_dir`` setting), loaded once per folder and passed to NLP, extraction and
assembly.

    pack = load_pack(settings.resources_dir)   # "" -> the pack shipped in the wheel
    pack.adc_catalog, pack.terms, pack.cues.find(text, "resistance"), ...

Every table is read and built on first use, then kept (nothing is read at import time);
``load_pack`` returns the same object for the same folder, and a pickled pack (a Dask or
multiprocessing worker) is loaded again from its folder on the other side.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path

from pipeline.pack import cues, lexicon
from pipeline.pack.cues import CueLexicon
from pipeline.pack.files import DEFAULT_RESOURCES, read_tsv
from pipeline.pack.lexicon import AdcRecord, Term

__all__ = ["DEFAULT_RESOURCES", "AdcRecord", "Pack", "Term", "load_pack"]


class Pack:
    """One knowledge-pack folder; each property is built once, on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._rows: dict[str, tuple[dict[str, str], ...]] = {}

    def __repr__(self) -> str:
        return f"Pack({str(self.root)!r})"

    def __reduce__(self):  # a worker loads its own copy once instead of unpickling tables
        return (load_pack, (str(self.root),))

    def rows(self, name: str, required: tuple[str, ...] = ()) -> tuple[dict[str, str], ...]:
        """The rows of one TSV file of the pack (read once)."""
        if name not in self._rows:
            self._rows[name] = tuple(read_tsv(self.root / name, required))
        return self._rows[name]

    # NER
    @cached_property
    def adc_catalog(self) -> tuple[AdcRecord, ...]:
        return lexicon.adc_catalog(self)

    @cached_property
    def adc_suffixes(self) -> dict[str, tuple[str, str]]:
        return lexicon.adc_suffixes(self)

    @cached_property
    def terms(self) -> tuple[Term, ...]:
        return lexicon.pack_terms(self)

    @cached_property
    def doc_defined_terms(self) -> dict[str, tuple[Term, ...]]:
        return lexicon.doc_defined_terms(self)

    @cached_property
    def term_index(self) -> dict[str, tuple[Term, ...]]:
        return lexicon.term_index(self)

    @cached_property
    def drug_inn_stems(self) -> tuple[str, ...]:
        return lexicon.drug_inn_stems(self)

    @cached_property
    def stem_drugs(self) -> dict[str, tuple[str, str]]:
        return lexicon.stem_drugs(self)

    @cached_property
    def partner_drug_words(self) -> frozenset[str]:
        return lexicon.partner_drug_words(self)

    @cached_property
    def antibody_stems(self) -> dict[str, str]:
        return lexicon.antibody_stems(self)

    @cached_property
    def payload_surfaces(self) -> dict[str, tuple[str, str]]:
        return lexicon.payload_surfaces(self)

    @cached_property
    def payload_families(self) -> frozenset[str]:
        return lexicon.payload_families(self)

    @cached_property
    def class_antigens(self) -> dict[str, str]:
        return lexicon.class_antigens(self)

    @cached_property
    def linker_surfaces(self) -> tuple[str, ...]:
        return lexicon.linker_surfaces(self)

    # extraction
    @cached_property
    def cues(self) -> CueLexicon:
        return CueLexicon(self.rows("relation_cues.tsv", ("kind", "pattern")))

    @cached_property
    def gene_roles(self) -> dict[str, tuple[str, str]]:
        return cues.gene_roles(self)

    @cached_property
    def partner_patterns(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return cues.partner_patterns(self)

    @cached_property
    def generic_mechanism_cues(self) -> frozenset[str]:
        return cues.generic_mechanism_cues(self)

    @cached_property
    def cue_canonicals(self) -> dict[str, dict[str, str]]:
        return cues.cue_canonicals(self)

    @cached_property
    def adc_targets(self) -> dict[str, tuple[str, str]]:
        return cues.adc_targets(self)

    @cached_property
    def abstract_sections(self) -> dict[str, str]:
        """Structured-abstract label (lower case) -> section (``abstract_sections.tsv``)."""
        rows = self.rows("abstract_sections.tsv", ("label", "section"))
        return {r["label"].lower(): r["section"] for r in rows}

    @cached_property
    def partner_categories(self) -> dict[str, str]:
        """Partner drug or drug class name (lower case) -> strategy category."""
        return lexicon.partner_categories(self)

    def partner_strategy_category(self, *names: str) -> str:
        """Strategy category of a partner drug / drug class / targeted gene, '' if unknown:
        a listed drug's or class's own, else the first pattern of ``partner_strategy.tsv``
        its name matches."""
        for name in names:
            if name:
                listed = self.partner_categories.get(name.lower())
                if listed:
                    return listed
                for pattern, category in self.partner_patterns:
                    if pattern.search(name):
                        return category
        return ""

    def cue_canonical(self, kind: str, surface: str) -> str:
        """Canonical entity of a MECHANISM / STRATEGY cue ("TME" -> "tumor
        microenvironment"); a surface the tables do not list (an abbreviation the document
        defines) stays as written, lower-cased."""
        found = self.cue_canonicals.get(kind, {}).get(cues.cue_key(surface))
        return found or " ".join(surface.split()).lower()


def load_pack(resources_dir: str | Path | None = None) -> Pack:
    """The pack of ``resources_dir`` ("" or None: the one shipped in ``pipeline/resources/``),
    one object per folder per process."""
    root = Path(resources_dir) if resources_dir else DEFAULT_RESOURCES
    if not root.is_dir():
        raise NotADirectoryError(
            f"knowledge pack folder {root} (ADCM_RESOURCES_DIR) does not exist"
        )
    return _load(str(root.resolve()))


@cache
def _load(root: str) -> Pack:
    return Pack(Path(root))
