// Smoke test of an INSTALLED package (scripts/package.sh --check): the binary given as the first
// argument, driven through tauri-driver + WebKitWebDriver under Xvfb. It starts with an empty
// data folder (XDG_DATA_HOME is set by the caller), shows the journey list, opens the sample the
// app ships, which must validate clean against the catalog the package installed as a resource
// (without it every engagement would be unknown), and quits.
// Usage: node e2e/package.mjs /usr/bin/switchboard [screenshot.png]
import { rmSync } from "node:fs";
import { remote } from "webdriverio";
import { $t, check, checkSoon, dataDir, driverPort, startDriver, textOf } from "./lib.mjs";

const [binary, screenshot] = process.argv.slice(2);
if (!binary) {
  console.error("usage: node e2e/package.mjs BINARY [SCREENSHOT]");
  process.exit(2);
}

const driver = await startDriver();
let b;
try {
  b = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "tauri:options": { application: binary, args: [] },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const newJourney = await $t(b, "new-journey");
  await newJourney.waitForDisplayed({ timeout: 20000 });
  const heading = await b.$("h1");
  check((await heading.getText()) === "Journeys", "the installed app shows the journey list");
  check(!(await $t(b, "journey-row").isExisting()), "its data folder starts empty");

  await (await $t(b, "open-sample")).click();
  await (await $t(b, "back")).waitForDisplayed({ timeout: 20000 });
  await checkSoon(b, async () => (await b.$$(".react-flow__node")).length === 14, "the sample journey opens with its 14 tiles on the canvas", {
    timeout: 20000,
    detail: async () => "the sample's 14 tiles never all appeared on the canvas",
  });
  // Validation has run once the panel says "no problems" or lists some.
  await b.waitUntil(async () => (await (await $t(b, "problems-none")).isExisting()) || (await b.$$('[data-testid="problem"]')).length > 0, {
    timeout: 20000,
    timeoutMsg: "the sample was never validated",
  });
  const problems = [];
  for (const p of await b.$$('[data-testid="problem"]')) problems.push(await textOf(b, p));
  // A fresh install's runtime has no segments until a contacts import makes one, so the sample's
  // segment is reported; anything else (an unknown engagement, profile, purpose…) would mean the
  // bundled catalog is missing or wrong.
  const others = problems.filter((t) => !/names segment "[^"]+", which does not exist/.test(t));
  check(
    others.length === 0,
    `against the bundled catalog the sample's only problem is its segment, not made yet (problems: ${problems.join(" | ") || "none"})`,
  );
  if (screenshot) await b.saveScreenshot(screenshot);

  await (await $t(b, "back")).click();
  await (await $t(b, "journey-row")).waitForDisplayed({ timeout: 10000 });
  const rows = await b.$$('[data-testid="journey-row"]');
  check(rows.length === 1, "back on the list, the sample is the one saved journey");
  console.log("package smoke test passed");
} catch (e) {
  console.error(`package smoke test failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  // Ending the session quits the app.
  await b?.deleteSession().catch(() => {});
  driver.kill();
  rmSync(dataDir, { recursive: true, force: true }); // lib.mjs's, unused here
}
