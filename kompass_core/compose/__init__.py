"""Compositions of the results store with reports and rankings, which every shell offers.

The command line and the service are shells over the public API; what they
both compute from several parts at once (a report's rank among the stored
evaluations, from the store and a robust ranking) lives here once, above
those parts and below the shells.
"""
