# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
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

# %%
# # %%
x = 1
# #%% [markdown]
# # In[3]:
# # %matplotlib inline
# # !ls

# %%
s = """
# %%
%not_a_magic
"""
t = 1

# %% [markdown]
# Text with a fence:
#
# ```
# # %%
# %%
# ```
#
# # %% after the fence
# # a heading
# #

# %% language="bash" magic_args="-e"
# ls -l
# echo 'done'

# %% language="sql"
# SELECT 1

# %%
# %%html

# %% tags=["active-ipynb"]
# z = 3

# %% a title foo={"b": [1, 2.5, null]} n=null u="\u00e9"
w = 4

# %% cell_depth=2 title="x = {weird}"
v = 5

# %%
x = 1

# %%
x = 1



# %%


x = 2

# %%
  
# %%



# %% [markdown]
#

# %% [markdown]
# trailing
#
#

# %%
x = (1 +
     2)  \

last = 'line'

# %%
# %time a = \
#   1
y = a

# %%
    indented = 1

# %% [raw]
#

# %%
def g():
    return 1


# %%
g()
