# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Sales forecast
#
# We load the sales table, clean it and fit a model.

# %%
# %matplotlib inline
import pandas as pd
import numpy as np

# %% tags=["parameters"]
DATA = "data/sales.csv"
SEED = 42

# %%
df = pd.read_csv(DATA)
df.head()


# %% [markdown]
# ## Cleaning

# %%
def clean(frame):
    return frame.dropna()


# %%
df = clean(df)
# !ls data
# files = !ls
# df.describe?

# %%
class Model:
    def fit(self, x):
        return self


# %%

# %% [raw] format="text/restructuredtext"
# This raw cell goes to nbconvert as is.

# %%
# %%time
model = Model().fit(df)
