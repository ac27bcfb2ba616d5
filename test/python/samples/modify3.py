# Fitting mutates the estimator; shuffle writes into its argument; out= writes into the array.
# defines: model
# reads: LinearRegression X y np rng data total
# modifies: model:likely X:likely data:likely total:likely
model = LinearRegression()
model.fit(X, y)
np.random.shuffle(X)
rng.shuffle(data)
np.add(total, 1, out=total)
