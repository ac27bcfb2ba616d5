"""Energy use vs temperature: the energy_out_of_order pipeline, extracted from energy_out_of_order.ipynb."""

from energy_out_of_order.pipeline import run

__all__ = ["run"]
