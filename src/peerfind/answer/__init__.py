"""Answering needs.

- request.py: what was asked, checked; match.py and spelling.py: what a need names;
- crisis.py: whether it reads as a crisis; searches.py: guided web searches;
- local.py: local listings, linked and ranked; result.py: the answer and its JSON contract;
- finder.py: `search()`, `answer()` and `assemble()` tie them together; batch.py: many needs.
"""

from .finder import search

__all__ = ["search"]
