"""rra: a formal, machine-checked model of the Amnis Systems Registration Rights Agreement (9 May 2003)."""

__version__ = "0.1.0"
