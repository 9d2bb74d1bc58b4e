"""Readers on small inputs: format detection, glue splitting, page breaks, HTML."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.ingest import ingest_text
from pipeline.ingest.furniture import furniture_rule
from pipeline.ingest.readers import detect_reader, glue, markdown_inline
from pipeline.ingest.readers.glue import split_caption, split_glued
from pipeline.model import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = Path(__file__).parents[1] / "corpus"


def corpus_lines() -> list[str]:
    """Every non-blank line of the real corpus (messy web text, markdown, a PDF capture)."""
    return [
        line
        for path in sorted(CORPUS.glob("*.*"))
        if path.suffix in {".txt", ".md", ".html"}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]


def _src(name: str = "x.txt") -> SourceFile:
    return SourceFile(path=name, file=name, doc_id="0" * 16, n_bytes=0, encoding="utf-8")


def test_detect_reader_by_content_not_name():
    assert detect_reader("[1]\n\nA\n\n[2]\n\nB\n\n[3]\n\nC")[0] == "journal_page"
    assert detect_reader("| [1] |\n|\n| [2] |\n|\n| [3] |\n|")[0] == "journal_page"
    assert (
        detect_reader("Intro.\n\nReferences\n\n1. A. B. 2020.\n2. C.\n3. D.\n")[0] == "full_review"
    )
    assert detect_reader("<!DOCTYPE html><html><body><p>x</p></body></html>")[0] == "html_page"
    assert detect_reader("Just prose. Nothing else.")[0] == "web_article"


def test_split_glued_headings():
    line = (
        "It was (SG).Structural EvolutionThe figure shows. Before ADCs.From Binding to Cell Death"
    )
    assert split_glued(line) == [
        ("body", "It was (SG)."),
        ("heading", "Structural Evolution"),
        ("body", "The figure shows. Before ADCs."),
        ("heading", "From Binding to Cell Death"),
    ]
    assert split_glued("The inert drug.The Bystander EffectA critical feature.") == [
        ("body", "The inert drug."),
        ("heading", "The Bystander Effect"),
        ("body", "A critical feature."),
    ]
    # ordinary sentences and names are never cut
    assert split_glued("Dr. McLean said. In contrast, T-DXd and SG work.") == [
        ("body", "Dr. McLean said. In contrast, T-DXd and SG work.")
    ]
    # an abbreviation's first letters are no heading's last word ("BrM", "InO")
    for line in ("SG (3.4 months). Those with BrM had stable disease.",
                 "CD22 was lost. Other InO-relapsed cases kept it."):  # fmt: skip
        assert split_glued(line) == [("body", line)]
    # right after a colon, not after a colon and a space; a closing quote keeps its space
    assert split_glued("Overview:Mechanisms of ResistanceTumours adapt.") == [
        ("body", "Overview:"),
        ("heading", "Mechanisms of Resistance"),
        ("body", "Tumours adapt."),
    ]
    assert split_glued("Overview: Mechanisms of ResistanceTumours adapt.") == [
        ("body", "Overview: Mechanisms of ResistanceTumours adapt.")
    ]
    assert split_glued('He said "no." Mechanisms of Resistance2Tumours adapt.') == [
        ("body", 'He said "no."'),
        ("heading", "Mechanisms of Resistance"),
        ("label", "2"),
        ("body", "Tumours adapt."),
    ]


def test_glued_heading_pattern_matches_its_lookbehind_form_on_the_corpus():
    """The pattern starts at the punctuation for speed; the headings it finds are those of
    the plain lookbehind form, on every corpus line."""
    reference = re.compile(
        rf"(?:(?<=[.!?)”\"])\s?|(?<=:))(?P<head>{glue._HEAD})(?P<digits>\d{{0,2}})(?=[A-Z]|$)",
        re.M,
    )
    lines = corpus_lines()
    found = [[(m.end(), m.group("head"), m.group("digits")) for m in glue.GLUED_HEADING.finditer(x)]
             for x in lines]  # fmt: skip
    expected = [[(m.end(), m.group("head"), m.group("digits")) for m in reference.finditer(x)]
                for x in lines]  # fmt: skip
    assert found == expected
    assert sum(map(len, found)) >= 10  # the corpus has glued headings to find


def test_strip_inline_skips_only_rewrites_that_cannot_apply():
    """Each rewrite is guarded by a string its matches need: the result is that of every
    rewrite applied in turn, on every corpus line and on lines made to hit each one."""
    mi = markdown_inline

    def unguarded(text: str) -> str:
        s = mi._MATH.sub(mi._math, text)
        s = mi._LINK.sub(lambda m: m.group(1) if m.group(2) not in ("#", "") else "", s)
        s = mi._ANGLE_URL.sub(r"\1", s)
        s = mi._ITALIC.sub(r"\1", mi._BOLD.sub(r"\1", s))
        s = mi._SUPERSCRIPT.sub("", s)
        s = s.replace("\\(", "(").replace("\\)", ")")
        return mi._SPACED_GREEK.sub(r"\1\2", mi._SPACED_ORDINAL.sub(r"\1\2", s))

    made = [
        "FR α and $\\alpha$ in the 2 nd line, see [the paper](https://x.org) <https://y.org>",
        "**HER2**-low and *in vitro* x^{2} \\(T-DXd\\) [DOI](#)",
    ]
    lines = corpus_lines() + made
    assert [mi.strip_inline(x) for x in lines] == [unguarded(x) for x in lines]
    assert mi.strip_inline(made[0]) == "FRα and α in the 2nd line, see the paper https://y.org"


def test_split_caption():
    assert split_caption("Fig 1 Literature AnalysisA recent review says so.") == (
        "Fig 1 Literature Analysis",
        "A recent review says so.",
    )
    assert split_caption("Fig 2 Overview of Literature") == ("Fig 2 Overview of Literature", "")
    assert split_caption("Fig 3 serves as a comparative matrix of agents.") is None


def test_furniture_rules():
    assert furniture_rule("登录浏览全文") == "non-English interface string"
    assert furniture_rule("4963") == "access counter"
    assert furniture_rule("en-GBde-DEes-ESfr-FR") == "language switcher"
    assert furniture_rule("Download citation ▾") == "widget label"
    assert furniture_rule("AI Summary AI Mindmap") == "widget label"
    assert furniture_rule("| 〈 |") == "lone symbols"
    assert furniture_rule("HER2 loss causes resistance.") is None


def test_page_break_join_in_full_review():
    text = (
        "Review\n\nA Title About ADCs\n\nAnn Author, Bob Author\n\nAbstract\n\nShort abstract.\n\n"
        "1. Introduction\n\n"
        "Antibody drug conjugates are used widely in the clinic and Antibody drug\n"
        "\n \n\nconjugates (ADCs) are a treatment option [1].\n\nReferences\n\n"
        "1. Doe J. A paper on ADCs. *J Test*. 2020;1(2):3–4. [DOI](#)\n"
        "2. Roe R. Another paper. *J Test*. 2021;2:5.\n3. Poe P. Third. *J Test*. 2022;3:6.\n"
    )
    doc = ingest_text(_src(), text)
    body = [s.text for s in doc.sentences if s.kind == "body"]
    assert body == [
        "Antibody drug conjugates are used widely in the clinic and Antibody drug conjugates "
        "(ADCs) are a treatment option [1]."
    ]
    assert doc.document.title == "A Title About ADCs"
    assert [(c.ref_number, c.resolved) for c in doc.citations] == [(1, True)]
    assert doc.references[0].issue == "2"


def test_html_page():
    doc = ingest_text(_src("p.html"), (FIXTURES / "small_page.html").read_text(encoding="utf-8"))
    texts = {s.text: s.kind for s in doc.sentences}
    assert texts["Mechanisms of resistance to ADCs"] == "title"
    assert texts["Figure 1. Resistance mechanisms of ADCs."] == "caption"
    assert not any("Login" in t or "var x" in t or "Copyright" in t for t in texts)
    assert [r.number for r in doc.references if r.filled] == [1, 2]
    assert sorted((c.sentence_index, c.ref_number) for c in doc.citations) == [
        (2, 1),
        (3, 1),
        (3, 2),
    ]


def test_a_hyphenated_code_name_is_no_glued_heading():
    """ "In Dato-DXd-sensitive models": the capital after "Dato-D" is part of the word, not
    the start of a sentence glued to a heading (only a lower-case letter or a digit ends a
    glued heading)."""
    from pipeline.ingest.readers.glue import split_glued

    line = "BCX. In Dato-DXd-sensitive models, activity was enhanced."
    assert split_glued(line) == [("body", line)]
    assert split_glued("before receiving ADCs.From Binding to Cell DeathThe figure shows.") == [
        ("body", "before receiving ADCs."),
        ("heading", "From Binding to Cell Death"),
        ("body", "The figure shows."),
    ]


def test_a_title_line_may_end_in_a_period_as_pubmed_prints_it():
    titled = ingest_text(_src(), "Mechanisms of resistance to ADCs.\n\nADCs are drugs. They work.")
    assert [s.kind for s in titled.sentences][:2] == ["title", "body"]
    # a first paragraph of sentences is no title
    prose = ingest_text(_src(), "ADCs are drugs. They work.\n\nMore text follows here.")
    assert prose.sentences[0].kind == "body"
