"""``python -m flows.serve``: serve the refresh flow on a cron schedule (weekly by default).

Needs a Prefect API to hold the schedule: start one with ``prefect server start`` and
set ``PREFECT_API_URL=http://127.0.0.1:4200/api`` (or use Prefect Cloud). The process
stays up and runs the flow at each scheduled time; Ctrl-C stops serving.
"""

from __future__ import annotations

import argparse
from typing import Any

import flows  # noqa: F401  (disables server telemetry before Prefect loads)
from pipeline.config import Settings


def parse_args(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m flows.serve", description=__doc__)
    parser.add_argument("--cron", default=settings.schedule_cron,
                        help=f"cron schedule (ADCM_SCHEDULE_CRON; default "
                             f"{settings.schedule_cron!r})")  # fmt: skip
    parser.add_argument("--name", default="adc-refresh-weekly", help="deployment name")
    parser.add_argument("--corpus", default=str(settings.corpus_dir))
    parser.add_argument("--out", default=str(settings.out_dir))
    return parser.parse_args(argv)


def build_deployment(args: argparse.Namespace, settings: Settings) -> Any:
    """The scheduled deployment of the refresh flow (nothing is sent to the API here)."""
    from flows.adc_flow import adc_refresh, task_runner_for

    return adc_refresh.with_options(task_runner=task_runner_for(settings)).to_deployment(
        name=args.name,
        cron=args.cron,
        parameters={"corpus_dir": args.corpus, "out_dir": args.out},
        description="Weekly refresh of the ADC-resistance knowledge base and exports.",
        tags=["adc", "refresh"],
    )


def main(argv: list[str] | None = None) -> None:
    from prefect import serve

    settings = Settings.from_env()
    serve(build_deployment(parse_args(argv, settings), settings))


if __name__ == "__main__":
    main()
