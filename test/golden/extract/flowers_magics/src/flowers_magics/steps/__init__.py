"""The steps of the flowers_magics pipeline, one module each, in the order `pipeline.run` calls them."""
