// Shared helpers of the end-to-end suite: the app binary, tauri-driver, sessions, and the small
// actions every scenario uses (find by test id, click, drag, choose, screenshots, checks).
// Scenario files (run.mjs and one file per area) import from here.
import { spawn } from "node:child_process";
import net from "node:net";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const here = path.dirname(fileURLToPath(import.meta.url));
// SWITCHBOARD_APP picks another build (e.g. target/release/switchboard for measurements).
export const app = path.resolve(process.env.SWITCHBOARD_APP ?? path.resolve(here, "../../target/debug/switchboard"));
export const out = path.join(here, "out");
mkdirSync(out, { recursive: true });
export const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-e2e-"));
export const PERF_RUNS = Number(process.env.E2E_PERF_RUNS ?? 5);

export let failures = 0;
/**
 * Wait until `cond()` holds (up to `timeout` ms), then check it once more and report `what`;
 * on failure `detail()` (if given) says what was seen instead.
 */
export async function checkSoon(b, cond, what, { timeout = 5000, detail } = {}) {
  await b.waitUntil(cond, { timeout }).catch(() => {});
  const ok = await cond();
  check(ok, ok || !detail ? what : `${what} (${await detail()})`);
}

export function check(ok, what) {
  if (!ok) {
    failures += 1;
    console.error(`  ✗ ${what}`);
    throw new Error(what);
  }
  console.log(`  ✓ ${what}`);
}

/** A port nobody listens on now, so a second suite (or anything else) on 4444 is no clash. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export let driverPort = 0;

export async function startDriver() {
  driverPort = await freePort();
  const nativePort = await freePort();
  const driver = spawn("tauri-driver", ["--port", String(driverPort), "--native-port", String(nativePort)], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  // Wait until the driver answers rather than for a fixed time.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const up = await fetch(`http://127.0.0.1:${driverPort}/status`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return driver;
}

export async function session(args = ["--data-dir", dataDir]) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "tauri:options": { application: app, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  await browser.setTimeout({ implicit: 0 });
  return browser;
}

export const $t = (b, id) => b.$(`[data-testid="${id}"]`);

export async function shot(b, name) {
  await b.saveScreenshot(path.join(out, `${name}.png`));
}

/** The element's text content (WebKitWebDriver's getText skips some nested text). */
export async function textOf(b, el) {
  return b.execute((e) => e.textContent ?? "", el);
}

export async function center(el) {
  const { x, y } = await el.getLocation();
  const { width, height } = await el.getSize();
  return { x: Math.round(x + width / 2), y: Math.round(y + height / 2) };
}

/**
 * Click a bare spot of the canvas, as a marketer clicks beside the tiles to clear the selection.
 * (Clicking the pane element itself clicks its centre, which may be a tile.)
 */
export async function clickEmptyCanvas(b) {
  const at = await b.execute(() => {
    const pane = document.querySelector(".react-flow__pane");
    if (!pane) return null;
    const r = pane.getBoundingClientRect();
    for (let y = r.top + 12; y < r.bottom - 12; y += 24)
      for (let x = r.left + 12; x < r.right - 12; x += 24) if (document.elementFromPoint(x, y) === pane) return { x: Math.round(x), y: Math.round(y) };
    return null;
  });
  if (!at) throw new Error("no bare spot of the canvas to click");
  await b.action("pointer").move(at).down().up().perform();
}

export async function drag(b, from, to) {
  await b
    .action("pointer")
    .move({ x: from.x, y: from.y })
    .down()
    .pause(80)
    .move({ x: from.x + 10, y: from.y + 4, duration: 80 })
    .move({ x: to.x, y: to.y, duration: 300 })
    .pause(80)
    .up()
    .perform();
}

/** Choose an option of a <select>, the way a user does, falling back to a change event. */
/**
 * Clicks until `done()` holds: under load a panel can still be re-laying out when the click
 * lands, and a missed click is the test's problem, not the app's.
 */
export async function clickUntil(b, selector, done, what) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await (await b.$(selector)).click();
    const ok = await b.waitUntil(done, { timeout: 2000 }).then(
      () => true,
      () => false,
    );
    if (ok) return;
  }
  throw new Error(`clicking ${selector} never led to: ${what}`);
}

export async function choose(b, selector, value) {
  const el = await b.$(selector);
  await el.waitForExist({ timeout: 5000 });
  try {
    await el.selectByAttribute("value", value);
  } catch {
    // ignored: verified below
  }
  if ((await el.getValue()) !== value) {
    await b.execute(
      (sel, v) => {
        const s = document.querySelector(sel);
        const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
        setter.call(s, v);
        s.dispatchEvent(new Event("change", { bubbles: true }));
      },
      selector,
      value,
    );
  }
  await b.waitUntil(async () => (await (await b.$(selector)).getValue()) === value, {
    timeout: 3000,
    timeoutMsg: `${selector} did not take ${value}`,
  });
}

export async function tileNode(b, kind) {
  const el = await $t(b, `tile-${kind}`);
  await el.waitForExist({ timeout: 5000 });
  // Nodes stay hidden until React Flow has measured them.
  await b.waitUntil(async () => (await el.getCSSProperty("visibility")).value !== "hidden" && (await el.isDisplayed()), {
    timeout: 5000,
  });
  return el;
}

export async function selectTile(b, kind) {
  const node = await tileNode(b, kind);
  const head = await node.$(".tile-head");
  await head.click();
  await $t(b, "inspector").then((el) => el.waitForDisplayed({ timeout: 3000 }));
}

/** Drag from a tile's labelled output handle to another tile's input handle. */
export async function connectTiles(b, fromKind, outputLabel, toKind) {
  const from = await tileNode(b, fromKind);
  const outputs = await from.$$(".tile-output");
  let handle = null;
  for (const o of outputs) {
    if ((await textOf(b, o)).trim() === outputLabel) handle = await o.$(".react-flow__handle");
  }
  check(handle !== null, `${fromKind} has an output labelled ${outputLabel}`);
  const to = await tileNode(b, toKind);
  const target = await to.$(".react-flow__handle.handle-in");
  const before = (await b.$$(".react-flow__edge")).length;
  await drag(b, await center(handle), await center(target));
  await b.waitUntil(async () => (await b.$$(".react-flow__edge")).length === before + 1, {
    timeout: 3000,
    timeoutMsg: `no edge from ${fromKind}/${outputLabel} to ${toKind}`,
  });
}

export async function waitSaved(b) {
  await b.waitUntil(async () => (await (await $t(b, "save-state")).getText()).includes("Saved"), {
    timeout: 5000,
    timeoutMsg: "autosave did not finish",
  });
}

export async function problemsText(b) {
  return (await $t(b, "problems")).getText();
}

/** A valid journey of `tiles` tiles (calls, waits, exits on a grid), for timing and footprint runs. */
export function bigJourney(id, tiles) {
  const doc = {
    schemaVersion: 1,
    id,
    name: `Bench ${tiles} tiles`,
    audience: "contact",
    timeZone: "UTC",
    tiles: [{ type: "start", id: "start", name: "", start: null }],
    connections: [],
    layout: { positions: { start: { x: 0, y: 0 } } },
  };
  let prev = "start";
  for (let i = 1; i < tiles; i++) {
    const tid = `t${i}`;
    const kind = i % 3;
    doc.tiles.push(
      kind === 0
        ? { type: "waitTime", id: tid, name: `Wait ${i}`, wait: { kind: "duration", amount: 1, unit: "days" } }
        : kind === 1
          ? {
              type: "voiceConversation",
              id: tid,
              name: `Call ${i}`,
              engagementId: "eng-renewals-voice",
              sendTo: "mobilePhone",
              complianceProfileId: "cp-us-marketing",
              purposeId: "pur-promotions",
              topicId: "top-renewal-offers",
              quietTime: { mode: "inherit" },
            }
          : { type: "exit", id: tid, name: `Exit ${i}` },
    );
    doc.layout.positions[tid] = { x: (i % 25) * 300, y: Math.floor(i / 25) * 220 };
    if (kind !== 0 || prev !== null) {
      if (prev) doc.connections.push({ from: prev, output: "next", to: tid });
      prev = kind === 2 ? null : tid;
    } else prev = tid;
  }
  return doc;
}
