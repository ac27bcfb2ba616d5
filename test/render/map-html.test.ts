/**
 * The HTML map in a real browser (headless Debian Chromium through playwright-core, no server): it renders the
 * diagram and one section per step, clicking a step in the diagram opens its section, and a screenshot is saved
 * to test-results/map.png. Skipped with a message when /usr/bin/chromium is not installed
 * (`apt-get install -y chromium`; CI installs it).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/render/html.js";
import { mapFile } from "../graph/map-fixture.js";
import { ROOT } from "../helpers/env.js";

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(ROOT, "test-results");

describe.skipIf(!existsSync(CHROMIUM))("HTML map in headless Chromium", () => {
  it("renders, opens a step from the diagram, and is saved as a screenshot", async () => {
    const { nb, analysis, map } = await mapFile(join(ROOT, "examples", "churn", "churn.ipynb"));
    const html = await renderHtml({
      title: "churn.ipynb",
      nb,
      analysis,
      map,
      findings: [
        {
          code: "demo-finding",
          severity: "warning",
          message: "a finding shown with its step",
          cell: 7,
          line: 1,
        },
      ],
    });
    // Self-contained: no external resources.
    expect(html).not.toMatch(/<(?:script|link|img)[^>]+(?:src|href)="https?:/);
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, "map.html");
    writeFileSync(file, html);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator("#diagram svg").count()).toBe(1);
      expect(await page.locator("details.step[id^='step-']").count()).toBe(map.steps.length);
      const target = map.steps[1]!.name;
      const details = page.locator(`#step-${target}`);
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      // Click the step's node in the diagram.
      await page.locator(`#diagram svg a[*|href="#step-${target}"]`).first().click();
      await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await details.locator("pre").first().isVisible()).toBe(true);
      const body = (await details.textContent()) ?? "";
      expect(body).toContain("df.drop_duplicates()");
      expect(body).toContain("demo-finding");
      // A section also opens from its summary.
      const last = page.locator(`#step-${map.steps[map.steps.length - 1]!.name} summary`);
      await last.click();
      expect(await page.locator("details.step[open]").count()).toBe(2);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUT, "map.png"), fullPage: false });
      expect(existsSync(join(OUT, "map.png"))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
