"""The knowledge base: what peerfind knows, read from YAML files and checked.

- model.py: the entry types; each section's fields are declared once, on its class;
- files.py: reading files, YAML with positions; schema.py: checking; layers.py: merging;
- index.py: the derived look-ups the answer code reads; cache.py: the on-disk cache;
- base.py: the loaded KnowledgeBase; load.py: `load_knowledge_base`, tying it together.
"""

from .base import KnowledgeBase
from .load import builtin_path, check_files, kb_paths_from_env, load_knowledge_base

__all__ = ["KnowledgeBase", "builtin_path", "check_files", "kb_paths_from_env",
           "load_knowledge_base"]
