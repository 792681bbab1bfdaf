"""Z3 encoding, the plain-Python evaluator, checks, optimization and proofs. Reads rra.spec."""
