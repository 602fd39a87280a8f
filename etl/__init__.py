"""Build steps: reference tables and raw public files → the bundled ``data/`` folder.

Run ``rocu-compare build-data --reference PATH`` (or ``make data``). Each step has the
same shape (load inputs → process → save outputs) and every raw input is checked
against its provenance record (:mod:`etl.provenance`).
"""
