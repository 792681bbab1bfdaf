from rra.cli import entry

entry()
