"""Table shapes come from the records; the checks reject what the old schemas rejected."""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pytest

from pipeline.model import Document, Evidence, Sentence, Triple, make_triple_id
from pipeline.tables import SPECS, TableCheckError, to_arrow, validate
from pipeline.tables.specs import table_spec


def test_every_table_has_its_records_fields_in_order():
    for name, spec in SPECS.items():
        fields = [f.name for f in dataclasses.fields(spec.record)]
        if name == "documents":  # the text is a file of its own, pointed at
            fields = [f for f in fields if f != "text"] + ["clean_text_path"]
        assert spec.column_names == fields, name
        assert spec.arrow_schema.names == fields, name
    kinds = {c.name: (c.kind, c.nullable) for c in SPECS["sentences"].columns}
    assert kinds["ref_number"] == ("integer", True)
    assert kinds["is_title"] == ("boolean", False)
    assert SPECS["triples"].arrow_schema.field("confidence").type == pa.float64()


def test_a_field_of_no_table_type_is_refused():
    @dataclasses.dataclass
    class Odd:
        values: list

    with pytest.raises(TypeError, match="no table column type"):
        table_spec("odd", Odd)


def _sentence(**changes) -> Sentence:
    base = Sentence("0123456789abcdef", 0, "Body", "body", 0, 10, "0123456789", False, False)
    return dataclasses.replace(base, **changes)


def _triple(**changes) -> Triple:
    tid = make_triple_id("adc:x", "drug_efflux", "ABCB1", "", "")
    base = Triple(tid, "x", "adc:x", "ABCB1 efflux", "drug_efflux", "ABCB1", "", "", "", 1, 1,
                  0, 0, 0, 0.63)  # fmt: skip
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("table", "row", "message"),
    [
        ("sentences", _sentence(kind="sidebar"), "column kind fails isin"),
        ("sentences", _sentence(doc_id="not-an-id"), "column doc_id fails matches"),
        ("sentences", _sentence(text=""), "column text fails str_length"),
        ("sentences", _sentence(char_end=0), "a row fails span>0"),
        ("sentences", _sentence(sentence_index=-1), "greater_than_or_equal_to"),
        ("triples", _triple(confidence=1.5), "column confidence fails in_range"),
        ("triples", _triple(mechanism_category=""), "a row fails at_least_two_slots"),
        ("triples", _triple(n_evidence=0), "column n_evidence fails greater_than_or_equal_to"),
    ],
)
def test_checks_reject_bad_rows(table: str, row: object, message: str):
    spec = SPECS[table]
    good = _sentence() if table == "sentences" else _triple()
    validate(spec, to_arrow(spec, [good]))
    with pytest.raises(TableCheckError, match=message):
        validate(spec, to_arrow(spec, [row]))


def test_duplicate_keys_and_nulls_are_refused():
    ev = Evidence(make_triple_id("adc:x", "drug_efflux", "ABCB1", "", ""), "0123456789abcdef",
                  "Body", 0, 0, 10, "0123456789", "", False, False, "rule@extract-1")  # fmt: skip
    with pytest.raises(TableCheckError, match="repeat the key"):
        validate(SPECS["evidence"], to_arrow(SPECS["evidence"], [ev, ev]))
    doc = Document("0123456789abcdef", "a.txt", "t", "", "", "", "", "abstract", "", "",
                   "text", 1, 1, "x")  # fmt: skip
    with pytest.raises(TableCheckError, match="column title fails not null"):
        untitled = dataclasses.replace(doc, title=None)
        validate(SPECS["documents"], to_arrow(SPECS["documents"], [untitled]))


def test_a_value_of_the_wrong_type_names_the_column():
    with pytest.raises(TypeError, match="table sentences: column sentence_index"):
        to_arrow(SPECS["sentences"], [_sentence(sentence_index="one")])
