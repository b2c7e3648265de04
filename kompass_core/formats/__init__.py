"""Reading and writing the documented file formats: rule sets, evaluations,
migrations, profiles, results tables, score cards, schemas, templates and xlsx.

Readers turn bytes into model values and report every problem with its file,
line and key path; writers go through one atomic file writer.
"""
