"""The agreement as data: its text, its clause tree and its formal elements, each cited. Never imports z3."""
