"""Flowers magics: the flowers_magics pipeline, extracted from flowers_magics.ipynb."""

from flowers_magics.pipeline import run

__all__ = ["run"]
