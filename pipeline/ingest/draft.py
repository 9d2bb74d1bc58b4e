"""What a reader hands to assembly: cleaned blocks in document order plus side tables.

A reader knows one input format and turns it into :class:`Block` s (title, heading,
paragraph, caption, table row, reference, ...) with furniture already removed. Assembly
(:mod:`pipeline.ingest.assemble`) is shared: it joins blocks into the cleaned text,
computes offsets, splits sentences and resolves citations, so every format gets the
same guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Block kinds -> sentence kind. "reference" blocks yield one "reference_title" sentence.
SPLIT_KINDS = {"abstract", "body", "caption"}  # split into sentences
WHOLE_KINDS = {"title", "heading", "keywords", "table"}  # one sentence per block


@dataclass
class Block:
    kind: str  # title | heading | abstract | body | caption | keywords | table | reference
    text: str
    section: str = ""
    ref_number: int | None = None


@dataclass
class RefSlot:
    """One numbered slot of a reference list as written ("" when the slot is empty)."""

    number: int
    raw: str


@dataclass
class Draft:
    """A reader's output for one document."""

    reader: str
    blocks: list[Block] = field(default_factory=list)
    ref_slots: list[RefSlot] = field(default_factory=list)
    # (table_id, caption, header, rows) for each table
    tables: list[tuple[str, str, list[str], list[list[str]]]] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # title authors journal year doi licence
    # (severity, message) for problems found while reading
    problems: list[tuple[str, str]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)  # furniture rule -> lines dropped

    def add(self, kind: str, text: str, section: str = "", ref_number: int | None = None) -> None:
        text = " ".join(text.split()) if kind != "table" else text.strip()
        if text:
            self.blocks.append(Block(kind, text, section or "Body", ref_number))

    def drop(self, rule: str) -> None:
        self.dropped[rule] = self.dropped.get(rule, 0) + 1
