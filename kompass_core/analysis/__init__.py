"""Evaluator teams: agreement between independent evaluators and their consensus.

Above the registry beside report and store (it scores each file) and below
the command line; needs the ``analysis`` extra (numpy, krippendorff) for alpha.
"""
