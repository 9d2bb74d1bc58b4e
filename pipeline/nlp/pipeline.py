"""Build the spaCy pipeline once per process: a scispacy model when one is installed, else
``spacy.blank("en")``; our tokenizer; scispacy's abbreviation detector (with a linear
bracket scan, see abbreviations.py); the adcm_ components.

Which model: the ``spacy_model`` setting (env ``ADCM_SPACY_MODEL``): "" picks the first
installed of :data:`SCISPACY_MODELS`, "none" forces pack + rules, anything else is a
package name or a model directory (the tests point it at a tiny model they train).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.nlp.abbreviations  # noqa: F401  (registers adcm_abbreviation_detector)
import pipeline.nlp.components  # noqa: F401  (registers the adcm_ factories)
from pipeline.nlp.tokenizer import build_tokenizer

log = logging.getLogger(__name__)

SCISPACY_MODELS = ("en_core_sci_md", "en_core_sci_sm", "en_ner_bionlp13cg_md", "en_ner_bc5cdr_md")
MODEL_INSTALL_HINT = (
    "pip install https://s3-us-west-2.amazonaws.com/ai2-s2-scispacy/releases/v0.5.4/"
    "en_core_sci_sm-0.5.4.tar.gz"
)
# Model components that NER does not need (kept out for speed).
UNUSED_MODEL_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


def choose_model(setting: str) -> str | None:
    """The model to load for a ``spacy_model`` setting, or None for pack + rules only."""
    setting = (setting or "").strip()
    if setting.lower() == "none":
        return None
    if setting:
        if not (Path(setting).exists() or spacy.util.is_package(setting)):
            raise OSError(
                f"spaCy model {setting!r} (ADCM_SPACY_MODEL) is neither an installed package "
                "nor a model directory"
            )
        return setting
    for name in SCISPACY_MODELS:
        if spacy.util.is_package(name):
            return name
    return None


def build_nlp(
    model: str | None = None, resources_dir: str = "", doc_spans: bool = True
) -> Language:
    """A fresh pipeline (see module docstring). ``model`` None -> no statistical NER.
    ``doc_spans`` False: the mentions only as plain rows, no Span per mention (what
    :func:`get_nlp` builds: ``annotate`` reads the rows)."""
    if model is None:
        nlp = spacy.blank("en")
    else:
        nlp = spacy.load(model, exclude=list(UNUSED_MODEL_PIPES))
    nlp.tokenizer = build_tokenizer(nlp)
    nlp.add_pipe("adcm_abbreviation_detector", config={"make_serializable": True})
    cfg = {"resources_dir": resources_dir}
    nlp.add_pipe("adcm_pack_ner", config=cfg)
    nlp.add_pipe("adcm_abbreviation_linker", config=cfg)
    nlp.add_pipe("adcm_ner_merge", config={**cfg, "doc_spans": doc_spans})
    nlp.max_length = 5_000_000
    return nlp


@cache
def get_nlp(model_setting: str = "", resources_dir: str = "") -> Language:
    """The process-wide pipeline for these settings (built on first use, then reused)."""
    model = choose_model(model_setting)
    if model is None:
        if model_setting.strip().lower() != "none":
            log.warning(
                "no scispacy model installed; using knowledge pack + rules (install: %s)",
                MODEL_INSTALL_HINT,
            )
        else:
            log.info("spaCy model disabled (ADCM_SPACY_MODEL=none); using knowledge pack + rules")
    else:
        log.info("NER model: %s (merged with the knowledge pack)", model)
    return build_nlp(model, resources_dir, doc_spans=False)
