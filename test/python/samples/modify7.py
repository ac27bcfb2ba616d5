# ML state changes are likely modifications; the cell's last expression is displayed, so no general-rule guess.
# defines:
# reads: model optimizer quarters
# modifies: model:likely optimizer:likely model:likely
model.compile(loss="mse")
optimizer.step()
model.train()
quarters.asfreq("M")
