"""Rankings with their uncertainty: exact rank bounds, sampled rank figures, sensitivity.

Kept apart from the store's plain ranking because it needs numpy and SALib
(the ``analysis`` extra); :mod:`kompass_core.ranking.bounds` needs neither.
"""
