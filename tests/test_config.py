"""Settings.from_env: every value checked when read, one line naming what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings, SettingsError


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("ADCM_N_PROCESS", "abc", "ADCM_N_PROCESS='abc': expected a whole number"),
        ("ADCM_N_PROCESS", "0", "ADCM_N_PROCESS='0': expected a value >= 1"),
        ("ADCM_BATCH_SIZE", "1.5", "ADCM_BATCH_SIZE='1.5': expected a whole number"),
        ("ADCM_EXPAND_REFERENCES", "maybe",
         "ADCM_EXPAND_REFERENCES='maybe': expected true or false (1/0, yes/no, on/off)"),
        ("ADCM_TASK_RUNNER", "spark", "ADCM_TASK_RUNNER='spark': expected one of local, dask"),
        ("ADCM_HTTP_TIMEOUT_S", "fast", "ADCM_HTTP_TIMEOUT_S='fast': expected a number"),
        ("ADCM_RATE_LIMIT_PER_S", "0", "ADCM_RATE_LIMIT_PER_S='0': expected a value > 0"),
        ("ADCM_EUROPEPMC_BASE_URL", "ftp://x",
         "ADCM_EUROPEPMC_BASE_URL='ftp://x': expected an http:// or https:// URL"),
        ("ADCM_KB_URL", "garbage://x",
         "ADCM_KB_URL='garbage://x': unknown database kind 'garbage'"),
        ("ADCM_KB_URL", "kb.sqlite", "ADCM_KB_URL='kb.sqlite': not a database URL"),
        ("ADCM_SCHEDULE_CRON", "weekly", "ADCM_SCHEDULE_CRON='weekly': expected a cron expression"),
    ],
)  # fmt: skip
def test_a_bad_value_names_the_variable_the_value_and_what_is_allowed(
    monkeypatch, var: str, value: str, message: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as err:
        Settings.from_env()
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("var", "value", "field", "expected"),
    [
        ("ADCM_EXPAND_REFERENCES", " Yes ", "expand_references", True),
        ("ADCM_OFFLINE", "off", "offline", False),
        ("ADCM_OFFLINE", "", "offline", False),
        ("ADCM_N_PROCESS", " 2 ", "n_process", 2),
        ("ADCM_HTTP_BUDGET_S", "0", "http_budget_s", 0.0),
        ("ADCM_TASK_RUNNER", "dask", "task_runner", "dask"),
        ("ADCM_KB_URL", "postgresql+psycopg://u@127.0.0.1:1/db", "kb_url",
         "postgresql+psycopg://u@127.0.0.1:1/db"),  # no connection is tried here
        ("ADCM_OUT_DIR", "x/y", "out_dir", Path("x/y")),
    ],
)  # fmt: skip
def test_good_values_are_read(monkeypatch, var: str, value: str, field: str, expected) -> None:
    monkeypatch.setenv(var, value)
    assert getattr(Settings.from_env(), field) == expected


def test_overrides_are_checked_too() -> None:
    with pytest.raises(SettingsError, match="n_process=0: expected a value >= 1"):
        Settings.from_env(n_process=0)
    with pytest.raises(SettingsError, match="kb_url='garbage://x'"):
        Settings.from_env(kb_url="garbage://x")
    assert Settings.from_env(n_process=None).n_process == 1  # None: not given
