"""Evaluation: gold dataset → solver (the pipeline, live or replayed) → scorer → versioned run log.

``gold`` loads and validates gold files, ``names`` holds the one name normalization, ``match`` pairs records,
``score`` computes metrics, ``runlog`` is the versioned log, ``replay`` the cassettes, ``runner`` ties them
together and ``report`` prints tables and comparisons. A log can be re-scored without any model call.
"""
