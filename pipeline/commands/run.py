"""``python -m pipeline run``: the Prefect refresh flow over a corpus folder."""

from __future__ import annotations

import argparse
import os
import sys

from pipeline import exit_status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", default=None, help="corpus folder (default: corpus)")
    parser.add_argument("--out", default=None, help="export folder (default: extracted)")
    parser.add_argument(
        "--kb-url",
        default=None,
        help="knowledge-base URL (default: ADCM_KB_URL or sqlite:///<out>/kb.sqlite)",
    )
    parser.add_argument(
        "--task-runner",
        choices=("local", "dask"),
        default=None,
        help="local threads (default) or a Dask cluster",
    )
    parser.add_argument(
        "--dask-address",
        default=None,
        help="scheduler address, e.g. tcp://host:8786 (default: a temporary local cluster)",
    )
    parser.add_argument("--no-report", action="store_true", help="skip the HTML report")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    import logging
    from pathlib import Path

    # One line per HTTP call to the local Prefect API is noise, not progress.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    from pipeline.config import Settings
    from pipeline.kb.connect import open_knowledge_base
    from pipeline.kb.lock import RunLockedError, check_not_locked

    settings = Settings.from_env(
        corpus_dir=Path(args.corpus) if args.corpus else None,
        out_dir=Path(args.out) if args.out else None,
        kb_url=args.kb_url,
        task_runner=args.task_runner,
        dask_address=args.dask_address,
    )
    # Fail fast (pipeline.commands.cli says why in one line), before the knowledge base is
    # created or Prefect starts its temporary server: no corpus, no Prefect API, no
    # knowledge base, or a live run holding its lock.
    exit_status.require_folder(settings.corpus_dir, "corpus")
    from flows.hosted import require_api

    require_api()
    engine = open_knowledge_base(settings.resolved_kb_url, create=True)
    check_not_locked(engine, settings.lock_stale_after_s)

    from pipeline.kb.session import summary_path
    from pipeline.kb.unchanged import run_if_unchanged

    # Nothing to process: recorded without Prefect and its temporary server.
    if (summary := run_if_unchanged(settings, report=not args.no_report)) is not None:
        print(summary_path(settings.out_dir, summary["run_id"]).read_text(encoding="utf-8"))
        return exit_status.for_status(summary["status"])

    from flows.adc_flow import adc_refresh, task_runner_for
    from flows.hosted import ServerStartError, hosted_run_settings

    flow = adc_refresh.with_options(task_runner=task_runner_for(settings))
    try:
        with hosted_run_settings():
            summary = flow(
                corpus_dir=str(settings.corpus_dir),
                out_dir=str(settings.out_dir),
                kb_url=settings.kb_url,
                report=not args.no_report,
            )
    except RunLockedError as exc:
        print(f"run: {exc}", file=sys.stderr)
        return exit_status.LOCKED
    except ServerStartError as exc:
        print(f"run: {exc}", file=sys.stderr)
        return exit_status.FAILED
    except Exception as exc:  # noqa: BLE001 - the flow logged the traceback; say it plainly
        print(
            f"run: the flow failed: {exc!r}. The knowledge base keeps every batch committed "
            f"before the failure; the summary is under {settings.out_dir / 'runs'}/ and "
            "`python -m pipeline history` lists the run.",
            file=sys.stderr,
        )
        return exit_status.FAILED
    print(summary_path(settings.out_dir, summary["run_id"]).read_text(encoding="utf-8"))
    return exit_status.for_status(summary["status"])
