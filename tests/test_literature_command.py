"""``python -m pipeline expand`` on the real corpus against a local fake Europe PMC / NCBI."""

from __future__ import annotations

import pandas as pd
import pytest
from test_literature_expansion import install

from pipeline.commands.cli import main


@pytest.fixture
def services(httpserver, monkeypatch, tmp_path):
    install(httpserver)
    monkeypatch.setenv("ADCM_EUROPEPMC_BASE_URL", httpserver.url_for("/europepmc/webservices/rest"))
    monkeypatch.setenv("ADCM_NCBI_BASE_URL", httpserver.url_for("/eutils"))
    monkeypatch.setenv("ADCM_RATE_LIMIT_PER_S", "200")
    monkeypatch.setenv("ADCM_HTTP_BACKOFF_S", "0.01")
    monkeypatch.delenv("ADCM_HTTP_CACHE_PATH", raising=False)
    monkeypatch.delenv("ADCM_OFFLINE", raising=False)
    return httpserver


def test_expand_command_writes_tables_and_reuses_the_cache(services, tmp_path, capsys):
    out = tmp_path / "extracted"
    args = ["expand", "--corpus", "corpus", "--out", str(out), "--max-references", "12"]
    assert main(args) == 0
    n_requests = len(services.log)
    assert n_requests > 0 and (out / "http_cache.sqlite").exists()
    refs = pd.read_csv(out / "references_resolved.csv", keep_default_na=False)
    # Every reference slot of the corpus is listed; the first 12 were looked up.
    assert len(refs) > 200
    looked_up = refs[refs["resolution_status"] != ""]
    assert len(looked_up) == 12
    # The fake services know none of the corpus's papers: unresolved with a reason, no guess.
    assert set(looked_up["resolution_status"]) == {"unresolved"}
    assert (looked_up["resolution_message"] != "").all()
    assert (looked_up["resolved_pmid"] == "").all()
    assert "12 of" in capsys.readouterr().out

    # Second run, then offline: nothing new is asked of the server.
    assert main(args) == 0
    assert main([*args, "--offline"]) == 0
    assert len(services.log) == n_requests
    again = pd.read_csv(out / "references_resolved.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(again, refs)
