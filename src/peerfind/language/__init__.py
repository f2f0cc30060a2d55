"""Languages: choosing the answer's language, per-language stemming, number words and ages,
and the message catalogs for the words peerfind itself prints."""
