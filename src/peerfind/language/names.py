"""What an answer says about languages: their names, and that a service is not in the
reader's language. Translated through the message catalog (see catalog.py)."""

from __future__ import annotations

from .catalog import N_

# A language's name as a reader sees it, by code.
LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish")}

# After a contact that has no option in the reader's language ("call 1-800-... (in English)").
IN_ENGLISH = N_("in English")
# Above the services of a mixed need ("my mom only speaks Spanish"): which come first and why.
SPANISH_FIRST = N_("Services that answer in Spanish come first.")
