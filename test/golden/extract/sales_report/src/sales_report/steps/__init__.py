"""The steps of the sales_report pipeline, one module each, in the order `pipeline.run` calls them."""
