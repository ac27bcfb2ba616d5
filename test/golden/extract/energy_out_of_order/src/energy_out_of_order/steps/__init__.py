"""The steps of the energy_out_of_order pipeline, one module each, in the order `pipeline.run` calls them."""
