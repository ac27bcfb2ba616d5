"""Generate the example's synthetic telecom-churn data (deterministic; run once, output committed).

Usage: python make_data.py  (writes data/customers.csv and data/new_customers.csv)
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def make(n: int, seed: int, with_label: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tenure = rng.integers(0, 72, n)
    contract = rng.choice(["month-to-month", "one-year", "two-year"], n, p=[0.55, 0.25, 0.2])
    internet = rng.choice(["dsl", "fiber", "none"], n, p=[0.35, 0.45, 0.2])
    monthly = np.round(rng.normal(65, 25, n).clip(18, 120), 2)
    total = np.round(monthly * np.maximum(tenure, 1) * rng.uniform(0.9, 1.05, n), 2)
    support_calls = rng.poisson(1.5, n)
    senior = rng.random(n) < 0.16
    df = pd.DataFrame(
        {
            "customer_id": [f"C{seed:02d}{i:05d}" for i in range(n)],
            "tenure_months": tenure,
            "contract": contract,
            "internet_service": internet,
            "monthly_charges": monthly,
            "total_charges": total.astype(object),
            "support_calls": support_calls,
            "senior_citizen": np.where(senior, "yes", "no"),
        }
    )
    # Realistic dirt: blanks in total_charges, missing internet_service, duplicated rows.
    blank = rng.random(n) < 0.02
    df.loc[blank, "total_charges"] = " "
    df.loc[rng.random(n) < 0.03, "internet_service"] = np.nan
    if with_label:
        logit = (
            -1.2
            + 1.4 * (contract == "month-to-month")
            - 0.035 * tenure
            + 0.012 * (monthly - 65)
            + 0.35 * support_calls
            + 0.5 * (internet == "fiber")
            + 0.3 * senior
        )
        df["churn"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
        df = pd.concat([df, df.sample(8, random_state=seed)], ignore_index=True)
    return df


if __name__ == "__main__":
    (HERE / "data").mkdir(exist_ok=True)
    make(600, 7, True).to_csv(HERE / "data" / "customers.csv", index=False)
    make(40, 8, False).to_csv(HERE / "data" / "new_customers.csv", index=False)
