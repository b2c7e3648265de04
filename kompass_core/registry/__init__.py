"""Plugins: the hook specifications, entry points, and the registry that serves
rule sets, weightings and migrations from them.
"""
