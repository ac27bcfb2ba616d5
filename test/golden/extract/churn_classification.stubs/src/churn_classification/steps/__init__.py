"""The steps of the churn_classification pipeline, one module each, in the order `pipeline.run` calls them."""
