"""Running the pipeline outside Prefect, and the process helpers every layer may use.

- ``offline``: ``python -m pipeline extract``, the streaming run over a folder of texts
  (:func:`pipeline.runner.offline.run_extract`);
- ``claims``: a run's claims by triple-id bucket, kept in memory up to a size and spilled
  to disk beyond it, so assembly goes one bucket at a time;
- ``parallel``: units of work over forked worker processes, results in input order;
- ``gc_freeze``: keeping the garbage collector off what a process loads once;
- ``progress``: a bar on a terminal, plain log lines elsewhere.
"""
