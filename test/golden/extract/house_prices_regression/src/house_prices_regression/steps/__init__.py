"""The steps of the house_prices_regression pipeline, one module each, in the order `pipeline.run` calls them."""
