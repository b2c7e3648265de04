"""The evaluation report: what it says (built from a score card), in which
language, with its chart and reference averages, rendered as HTML or Markdown.
"""
