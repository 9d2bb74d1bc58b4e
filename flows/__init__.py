"""Prefect flows over the ``pipeline`` package (thin: the work lives in ``pipeline/``)."""

import os

# No telemetry from an ephemeral or local Prefect server started on our behalf.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
