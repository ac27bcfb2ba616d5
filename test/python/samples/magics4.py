%%capture captured
# %%capture binds its output variable.
# defines: captured model
# reads: train
model = train()
