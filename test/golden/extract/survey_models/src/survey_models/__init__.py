"""Who subscribes?: the survey_models pipeline, extracted from survey_models.ipynb."""

from survey_models.pipeline import run

__all__ = ["run"]
