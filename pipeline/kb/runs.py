"""Run bookkeeping: one ``runs`` row per refresh, with what it changed."""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from pipeline.kb import schema


def new_run_id() -> str:
    """Sortable, unique, file-name safe: ``20261121T183000Z-1a2b3c``."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def start_run(
    engine: Engine, run_id: str, version: str, corpus_dir: str, flow_run_id: str = ""
) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.runs.insert().values(
                run_id=run_id,
                flow_run_id=flow_run_id,
                started_at=datetime.now(UTC),
                status="running",
                extraction_version=version,
                corpus_dir=corpus_dir,
                host=socket.gethostname(),
                pid=os.getpid(),
            )
        )


def triple_changes(engine: Engine, run_id: str) -> dict[str, int]:
    """Triples this run created, updated (not new) and retired, and the active total."""
    t = schema.triples
    with engine.connect() as conn:

        def count(*where: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(t).where(*where)).scalar())

        return {
            "triples_new": count(t.c.first_seen_run == run_id, t.c.retired_in_run.is_(None)),
            "triples_updated": count(
                t.c.updated_in_run == run_id,
                t.c.first_seen_run != run_id,
                t.c.retired_in_run.is_(None),
            ),
            "triples_retired": count(t.c.retired_in_run == run_id),
            "triples_active": count(t.c.retired_in_run.is_(None)),
        }


def finish_run(
    engine: Engine,
    run_id: str,
    status: str,
    counts: dict[str, int],
    timings: dict[str, float],
    message: str = "",
) -> None:
    cols = set(schema.runs.c.keys())
    with engine.begin() as conn:
        conn.execute(
            schema.runs.update()
            .where(schema.runs.c.run_id == run_id)
            .values(
                status=status,
                finished_at=datetime.now(UTC),
                timings_json=json.dumps(timings, sort_keys=True),
                message=message,
                **{k: v for k, v in counts.items() if k in cols},
            )
        )


def new_triples(engine: Engine, run_id: str, limit: int = 200) -> list[dict[str, Any]]:
    t = schema.triples
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.c.triple_id,
                t.c.drug,
                t.c.mechanism_category,
                t.c.mechanism_entity,
                t.c.strategy_category,
                t.c.strategy_entity,
                t.c.n_evidence,
                t.c.confidence,
            )
            .where(t.c.first_seen_run == run_id, t.c.retired_in_run.is_(None))
            .order_by(t.c.confidence.desc(), t.c.triple_id)
            .limit(limit)
        ).all()
    return [dict(r._mapping) for r in rows]
