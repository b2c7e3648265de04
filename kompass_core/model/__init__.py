"""Pure values: rule sets, evaluations, points, references, score cards, errors.

Nothing here reads files or knows about plugins; every other part builds on it.
"""
