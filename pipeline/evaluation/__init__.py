"""Scoring the pipeline against hand-made gold sets.

- ``triples``: extracted triples against gold rows, sentence and dataset level
  (``python -m pipeline evaluate``);
- ``ner``: NER mentions against gold mentions (``python -m pipeline evaluate-ner``);
- ``gold``: reading and checking a gold triples file;
- ``scoring``: the precision / recall / F1 counts both report.
"""
