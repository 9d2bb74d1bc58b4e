"""scispacy's ``combined_rule_tokenizer`` with a few extra split points for entity names.

scispacy keeps hyphenated and slashed words whole ("HER2-positive", "PI3K/AKT/mTOR",
"anti-HER2"), which hides the entity inside one token. We add infixes that split:

* a hyphen before a lower-case word of 2+ letters or a capitalised word ("HER2-positive",
  "HER2-Targeting", "trastuzumab-emtansine", "antibody-drug"), while code names stay whole
  ("T-DM1", "Dato-DXd", "PD-1", "B7-H3", "Trop-2");
* the hyphen after ``anti`` ("anti-HER2", "anti-Trop2") and before ``ADC`` ("HER2-ADC");
* a slash between word characters ("Bcl-2/xL", "HER2/ERBB2", "PI3K/AKT/mTOR");
* a trailing hyphen ("TROP2- and HER2-directed") and a capital's full stop ("cyclosporin A.");
* no unit split after a letter+digit ("PI3K" stays one token, as in "PI3K/AKT");
* brackets and full stops glued to words in reference strings and run-together headings
  ("deruxtecan(DS-8201a)", "(SYD985).Eur", "(EGFR)-mutated", "T-DM1.Payload",
  "Xu P.YES1", "Saxton RA.mTOR").

Dashes are folded to "-" before tokenizing (``fold_dashes``, length-preserving), so the
patterns need only the ASCII hyphen.
"""

from __future__ import annotations

import re

from scispacy.custom_tokenizer import combined_rule_prefixes, combined_rule_tokenizer
from spacy.lang import char_classes
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_prefix_regex

EXTRA_INFIXES = (
    r"(?<=[A-Za-z0-9α-ωΑ-Ω\)])-(?=[a-z]{2,})",
    r"(?<=[A-Za-z0-9α-ωΑ-Ω\)])-(?=[A-Z][a-z]{2,})",
    r"(?<=\b[Aa]nti)-(?=\S)",
    r"(?<=[A-Za-z0-9])-(?=ADCs?\b)",
    r"(?<=[A-Za-z0-9α-ω\)\+\-])/(?=[A-Za-z0-9α-ω\(])",
    r"(?<=[A-Za-z0-9])\((?=[A-Za-z0-9])",
    r"\)(?=[-A-Za-z0-9\./])",
    r"(?<=\))\.(?=[A-Z])",
    r"(?<=[A-Za-z0-9])\.(?=[A-Z][A-Za-z0-9])",
    r"(?<=[A-Z])\.(?=[a-z]{1,3}[A-Z0-9])",
)


class TextKeepingTokenizer(Tokenizer):
    """A spaCy Tokenizer that keeps the text it was given in ``doc.user_data["adcm_text"]``:
    ``doc.text`` is rebuilt from every token on each access, and the text-level rules
    (brackets, INN regexes) need it once per document."""

    def __call__(self, text: str):
        doc = super().__call__(text)
        doc.user_data["adcm_text"] = text
        return doc


def build_tokenizer(nlp: Language) -> Tokenizer:
    """scispacy's tokenizer for ``nlp`` with :data:`EXTRA_INFIXES` added."""
    base = combined_rule_tokenizer(nlp)
    tokenizer = TextKeepingTokenizer(
        nlp.vocab,
        rules=base.rules,
        prefix_search=base.prefix_search,
        suffix_search=base.suffix_search,
        infix_finditer=base.infix_finditer,
        token_match=base.token_match,
        url_match=base.url_match,
    )
    base = tokenizer.infix_finditer.__self__.pattern  # type: ignore[attr-defined]
    combined = "|".join((*EXTRA_INFIXES, base))
    tokenizer.infix_finditer = re.compile(combined).finditer
    # scispacy splits a unit off a number ("10mg"); not off a gene name ("PI3K", "MEK1").
    units = f"(?<=[0-9])(?:{char_classes.UNITS})"
    suffix_pattern = tokenizer.suffix_search.__self__.pattern  # type: ignore[attr-defined]
    if units not in suffix_pattern:
        raise RuntimeError("scispacy's suffix rules changed: the unit rule was not found")
    guarded = f"(?<=[0-9])(?<![A-Za-z][0-9])(?:{char_classes.UNITS})"
    suffix_pattern = suffix_pattern.replace(units, guarded)
    # A trailing hyphen of a shared-suffix list is split off ("TROP2- and HER2-directed").
    # A single capital's full stop is split too ("cyclosporin A." at a sentence end is
    # "A" + "."); initials lose nothing by the split.
    extra_suffixes = r"(?<=[A-Za-z0-9])-$|(?<=^[A-Z])\.$|"
    tokenizer.suffix_search = re.compile(extra_suffixes + suffix_pattern).search
    # An opening bracket is always split off ("(SYD985).Eur" -> "(", "SYD985", ...).
    tokenizer.prefix_search = compile_prefix_regex([*combined_rule_prefixes(), r"\("]).search
    return tokenizer
