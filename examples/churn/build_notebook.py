"""Build churn.ipynb from the cell sources below and execute it in a real kernel (run once; output committed).

The cells are executed top to bottom, then one exploration cell is run again at the end, as a person at the
notebook would: the saved notebook therefore has one out-of-order execution count, which `fledge check` reports.

Usage: python build_notebook.py
"""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent

CELLS = [
    ("markdown", "# Customer churn\n\nWhich customers are about to leave? We load the customer table, clean it, "
     "build a few features, train a logistic regression and score the new customers of this month."),
    ("markdown", "## Setup"),
    ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport pandas as pd"),
    ("markdown", "## Load the data"),
    ("code", 'DATA_PATH = "data/customers.csv"\ndf = pd.read_csv(DATA_PATH)\ndf.shape'),
    ("code", "df.head()"),
    ("markdown", "## Clean the data\n\nDrop duplicated rows, repair the blank `total_charges`, and drop rows "
     "without an internet service."),
    ("code", 'df = df.drop_duplicates()\ndf["total_charges"] = pd.to_numeric(df["total_charges"], errors="coerce")\n'
     'df["total_charges"] = df["total_charges"].fillna(df["monthly_charges"] * df["tenure_months"])\n'
     'df.dropna(subset=["internet_service"], inplace=True)\ndf["churn"] = (df["churn"] == "yes").astype(int)\n'
     "df.describe()"),
    ("code", 'df["churn"].value_counts(normalize=True)'),
    ("code", 'df.groupby("contract")["churn"].mean().plot(kind="bar", title="Churn rate by contract")\nplt.show()'),
    ("markdown", "## Build features"),
    ("code", "CALLS_THRESHOLD = 3\nCATEGORICAL = [\"contract\", \"internet_service\"]\n"
     'NUMERIC = ["tenure_months", "monthly_charges", "total_charges", "support_calls",\n'
     '           "charges_per_tenure", "is_senior", "many_calls"]'),
    ("code", "def add_features(frame):\n    frame = frame.copy()\n"
     '    frame["charges_per_tenure"] = frame["total_charges"] / (frame["tenure_months"] + 1)\n'
     '    frame["is_senior"] = (frame["senior_citizen"] == "yes").astype(int)\n'
     '    frame["many_calls"] = (frame["support_calls"] >= CALLS_THRESHOLD).astype(int)\n'
     "    return frame"),
    ("code", "features = add_features(df)\n"
     "X = pd.get_dummies(features[CATEGORICAL + NUMERIC], columns=CATEGORICAL, dtype=int)\n"
     'y = features["churn"]\nX.shape'),
    ("markdown", "## Train the model"),
    ("code", "from sklearn.linear_model import LogisticRegression\n"
     "from sklearn.metrics import accuracy_score, classification_report, roc_auc_score\n"
     "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler"),
    ("code", "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42, stratify=y)\n"
     "scaler = StandardScaler()\nX_train_scaled = scaler.fit_transform(X_train)\n"
     "X_test_scaled = scaler.transform(X_test)"),
    ("code", "%%time\nmodel = LogisticRegression(C=1.0, max_iter=1000)\nmodel.fit(X_train_scaled, y_train)"),
    ("markdown", "## Evaluate"),
    ("code", "pred = model.predict(X_test_scaled)\nproba = model.predict_proba(X_test_scaled)[:, 1]\n"
     "accuracy = accuracy_score(y_test, pred)\nauc = roc_auc_score(y_test, proba)\n"
     'print(f"accuracy: {accuracy:.3f}  ROC AUC: {auc:.3f}")\nprint(classification_report(y_test, pred))'),
    ("markdown", "## Predict this month's customers"),
    ("code", 'new = pd.read_csv("data/new_customers.csv")\n'
     'new["total_charges"] = pd.to_numeric(new["total_charges"], errors="coerce")\n'
     'new["total_charges"] = new["total_charges"].fillna(new["monthly_charges"] * new["tenure_months"])\n'
     'new["internet_service"] = new["internet_service"].fillna("none")\n'
     "new_features = add_features(new)\n"
     "X_new = pd.get_dummies(new_features[CATEGORICAL + NUMERIC], columns=CATEGORICAL, dtype=int)\n"
     "X_new = X_new.reindex(columns=X.columns, fill_value=0)\n"
     'new["churn_probability"] = model.predict_proba(scaler.transform(X_new))[:, 1]\n'
     'new.sort_values("churn_probability", ascending=False).head(10)'),
    ("code", 'import os\n\nos.makedirs("outputs", exist_ok=True)\n'
     'new[["customer_id", "churn_probability"]].to_csv("outputs/predictions.csv", index=False)'),
]

RERUN_AT_END = 8  # the `value_counts` exploration cell, run again after everything else


def main() -> None:
    nb = nbformat.v4.new_notebook()
    for kind, source in CELLS:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make(source))
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        client.execute_cell(nb.cells[RERUN_AT_END], RERUN_AT_END)
        info = client.wait_for_reply(client.kc.kernel_info())["content"]["language_info"]
    nb.metadata["language_info"] = info
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, HERE / "churn.ipynb")


if __name__ == "__main__":
    main()
