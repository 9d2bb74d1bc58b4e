"""The self-contained HTML report (the resistance map) of a run.

``load_tables(extracted_dir)`` reads the exported tables; ``build_report(tables, out_dir)``
renders ``<out_dir>/report/index.html`` with its figures. Loading and rendering are apart so
the flow can render from the knowledge base.
"""

from pipeline.report.load import load_tables
from pipeline.report.render import build_report

__all__ = ["build_report", "load_tables"]
