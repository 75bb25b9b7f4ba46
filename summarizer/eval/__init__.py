"""Evaluation: gold dataset → solver (the pipeline, live or replayed) → scorer → versioned run log.

``gold`` loads and validates gold files, ``match`` pairs records, ``fields`` scores their fields, ``score``
computes metrics, ``runlog`` is the versioned log, ``replay`` the cassettes, ``runner`` ties them together and
``report`` prints tables and comparisons. Names, texts and dates are compared by :mod:`summarizer.names`, outside
this package because merging records across chunks uses the same rules. A log can be re-scored without any model
call.
"""
