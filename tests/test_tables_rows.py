"""Which records make which table: the ADC catalogue's export rows."""

from __future__ import annotations

from pipeline.pack import load_pack
from pipeline.tables import SPECS, to_arrow
from pipeline.tables.rows import catalog_entries


def test_catalog_table_for_export():
    table = to_arrow(SPECS["adc_catalog"], catalog_entries(load_pack().adc_catalog))
    assert table.column_names[:6] == [
        "entity_id",
        "inn",
        "synonyms",
        "target",
        "payload",
        "payload_class",
    ]
    inns = table["inn"].to_pylist()
    assert inns == sorted(inns) and len(set(inns)) == len(inns)
    row = table.to_pylist()[inns.index("sacituzumab govitecan")]
    assert row["target"] == "TACSTD2" and "SG" in row["synonyms"]
