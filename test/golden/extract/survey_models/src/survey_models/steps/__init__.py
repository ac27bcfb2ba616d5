"""The steps of the survey_models pipeline, one module each, in the order `pipeline.run` calls them."""
