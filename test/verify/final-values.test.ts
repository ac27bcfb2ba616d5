import { describe, expect, it } from "vitest";
import { mayMutate } from "../../src/verify/fixtures.js";

describe("mayMutate (values a later step changes in place are left out of the pipeline test)", () => {
  it("sees item assignment, inplace=True and mutating methods", () => {
    expect(mayMutate('orders["segment"] = segments.loc[orders["id"]].to_numpy()', "orders")).toBe(true);
    expect(mayMutate('df.loc[df["a"] > 1, "b"] = 0', "df")).toBe(true);
    expect(mayMutate('df["n"] += 1', "df")).toBe(true);
    expect(mayMutate('df.dropna(subset=["a"], inplace=True)', "df")).toBe(true);
    expect(mayMutate("model.fit(X, y)", "model")).toBe(true);
    expect(mayMutate("items.append(3)", "items")).toBe(true);
  });

  it("does not flag reads, comparisons or other names", () => {
    expect(mayMutate('total = orders["amount"].sum()', "orders")).toBe(false);
    expect(mayMutate('mask = orders["a"] == 1', "orders")).toBe(false);
    expect(mayMutate('my_orders["a"] = 1', "orders")).toBe(false);
    expect(mayMutate("pred = model.predict(X)", "model")).toBe(false);
  });
});
