"""The arithmetic: scoring, weighting, migration along paths, what-if and comparison.

It works on model values only: no files, no plugins.
"""
