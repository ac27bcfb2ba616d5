# %%
import os

# %% [markdown]
# A CRLF file

# %% tags=["x"]
# %matplotlib inline
x = 1
