"""The schedule: ``prefect.yaml`` and ``python -m flows.serve`` describe the same weekly run."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_prefect_yaml_deploys_the_flow_weekly() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    module_path, name = deployment["entrypoint"].split(":")
    assert (ROOT / module_path).is_file() and name == "adc_refresh"
    (schedule,) = deployment["schedules"]
    assert schedule["cron"] == Settings().schedule_cron == "0 6 * * 1"
    assert deployment["parameters"] == {"corpus_dir": "corpus", "out_dir": "extracted"}


def test_serve_builds_a_cron_deployment_of_the_flow() -> None:
    from flows.serve import build_deployment, parse_args

    settings = Settings()
    deployment = build_deployment(parse_args(["--cron", "0 3 * * 0"], settings), settings)
    assert deployment.name == "adc-refresh-weekly"
    assert deployment.flow_name == "adc-refresh"
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 3 * * 0"
    default = build_deployment(parse_args([], settings), settings)
    assert default.schedules[0].schedule.cron == settings.schedule_cron
