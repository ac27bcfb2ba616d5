"""The steps of the sensor_anomalies pipeline, one module each, in the order `pipeline.run` calls them."""
