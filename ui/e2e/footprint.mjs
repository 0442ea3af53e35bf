// Footprint of the designer against a bare Tauri window (scripts/footprint.sh runs this under
// Xvfb): start time to the journey list and to a 100-tile canvas, and the memory of the whole
// process tree (the app and the WebKit processes it starts) after 60 s idle on the list and with
// a 1,000-tile journey open. The bare window is measured in the same run, the same way.
// Usage: node e2e/footprint.mjs APP BARE OUT.json   (env FOOTPRINT_RUNS, FOOTPRINT_IDLE_S)
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { remote } from "webdriverio";
import { $t, bigJourney, check, dataDir, driverPort, startDriver } from "./lib.mjs";

const [appBin, bareBin, outFile] = process.argv.slice(2);
if (!appBin || !bareBin || !outFile) {
  console.error("usage: node e2e/footprint.mjs APP BARE OUT.json");
  process.exit(2);
}
const RUNS = Number(process.env.FOOTPRINT_RUNS ?? 5);
const IDLE_S = Number(process.env.FOOTPRINT_IDLE_S ?? 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let driver;

function open(application, args) {
  return remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "tauri:options": { application, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

/** Parent of every process, from /proc. */
function parents() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

function descendants(root, map) {
  const out = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop();
    for (const [child, parent] of map) if (parent === p) (out.push(child), todo.push(child));
  }
  return out;
}

/** The process of `binary` started under our tauri-driver (other suites may run the same binary). */
function appPid(binary) {
  const real = path.resolve(binary);
  for (const pid of descendants(driver.pid, parents())) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) === real) return pid;
    } catch {
      // not ours to read, or gone
    }
  }
  throw new Error(`no ${binary} process under tauri-driver`);
}

/** PSS and RSS (KiB) of a process and everything it started, with a line per process. */
function treeMemory(root) {
  const pids = [root, ...descendants(root, parents())];
  const procs = [];
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      procs.push({ pid, comm, pssKiB: field("Pss"), rssKiB: field("Rss"), pssAnonKiB: field("Pss_Anon"), pssFileKiB: field("Pss_File") });
    } catch {
      // kernel threads have no smaps_rollup; a process may have ended
    }
  }
  const sum = (k) => procs.reduce((a, p) => a + p[k], 0);
  return { pssKiB: sum("pssKiB"), rssKiB: sum("rssKiB"), processes: procs };
}

/** Start `application` with a fresh data folder; ms until `ready(browser)` holds. */
async function timedStart(application, args, ready) {
  const t0 = performance.now();
  const b = await open(application, args);
  await b.waitUntil(() => ready(b), { timeout: 30000, interval: 10, timeoutMsg: "never became ready" });
  return { b, ms: performance.now() - t0 };
}

const listShown = async (b) => (await $t(b, "new-journey")).isDisplayed();
const barePainted = async (b) => b.execute(() => document.readyState === "complete" && (document.body?.textContent ?? "").includes("bare"));

async function openJourney(b, name) {
  const link = await b.$(`.journey-link=${name}`);
  await link.waitForDisplayed({ timeout: 15000 });
  await link.click();
  await b.waitUntil(async () => b.execute(() => performance.getEntriesByName("journey-painted").length > 0), {
    timeout: 60000,
    interval: 10,
    timeoutMsg: `${name} never painted`,
  });
}

async function seed(dir, tiles) {
  const b = await open(appBin, ["--data-dir", dir]);
  try {
    await b.waitUntil(() => listShown(b), { timeout: 30000 });
    await b.execute(
      async (doc) => {
        const invoke = window.__TAURI_INTERNALS__.invoke;
        const created = await invoke("create_journey", { name: doc.name, timeZone: "UTC" });
        doc.id = created.summary.id;
        await invoke("save_draft", { document: doc });
      },
      bigJourney("placeholder", tiles),
    );
  } finally {
    await b.deleteSession();
  }
}

const result = { runs: RUNS, idleSeconds: IDLE_S, app: {}, bare: {} };
const dirs = [];
const fresh = () => {
  const d = mkdtempSync(path.join(tmpdir(), "switchboard-footprint-"));
  dirs.push(d);
  return d;
};
driver = await startDriver();
try {
  // Start to the list (a first launch: empty data folder) and the bare window's first paint.
  const toList = [];
  const bareStart = [];
  for (let run = 0; run < RUNS; run++) {
    const app = await timedStart(appBin, ["--data-dir", fresh()], listShown);
    toList.push(app.ms);
    await app.b.deleteSession();
    const bare = await timedStart(bareBin, [], barePainted);
    bareStart.push(bare.ms);
    await bare.b.deleteSession();
  }
  result.app.startToListMs = { runs: toList, median: median(toList) };
  result.bare.startToPaintMs = { runs: bareStart, median: median(bareStart) };
  console.log(`  · start to the journey list: median ${median(toList).toFixed(0)} ms; bare window ${median(bareStart).toFixed(0)} ms`);

  // Start to a 100-tile canvas: launch, click the journey, first paint of its canvas.
  const hundred = fresh();
  await seed(hundred, 100);
  const toCanvas = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const b = await open(appBin, ["--data-dir", hundred]);
    await openJourney(b, "Bench 100 tiles");
    toCanvas.push(performance.now() - t0);
    await b.deleteSession();
  }
  result.app.startTo100TileCanvasMs = { runs: toCanvas, median: median(toCanvas) };
  console.log(`  · start to a 100-tile canvas: median ${median(toCanvas).toFixed(0)} ms`);

  // Idle memory: the list, then the bare window, each after IDLE_S seconds.
  for (const [key, bin, args, ready] of [
    ["app", appBin, ["--data-dir", fresh()], listShown],
    ["bare", bareBin, [], barePainted],
  ]) {
    const { b } = await timedStart(bin, args, ready);
    await sleep(IDLE_S * 1000);
    result[key].idle = treeMemory(appPid(bin));
    await b.deleteSession();
    check(
      result[key].idle.pssKiB > 0,
      `${key} idle: PSS ${(result[key].idle.pssKiB / 1024).toFixed(0)} MiB, RSS ${(result[key].idle.rssKiB / 1024).toFixed(0)} MiB`,
    );
  }

  // A 1,000-tile journey open.
  const thousand = fresh();
  await seed(thousand, 1000);
  const b = await open(appBin, ["--data-dir", thousand]);
  await openJourney(b, "Bench 1000 tiles");
  await sleep(IDLE_S * 1000);
  result.app.with1000Tiles = treeMemory(appPid(appBin));
  await b.deleteSession();
  check(
    true,
    `1,000 tiles open: PSS ${(result.app.with1000Tiles.pssKiB / 1024).toFixed(0)} MiB, RSS ${(result.app.with1000Tiles.rssKiB / 1024).toFixed(0)} MiB`,
  );

  result.idlePssRatio = result.app.idle.pssKiB / result.bare.idle.pssKiB;
  writeFileSync(outFile, JSON.stringify(result, null, 2));
  console.log(`idle PSS app / bare window: ${result.idlePssRatio.toFixed(2)}× (goal ≤ 1.5×)`);
} catch (e) {
  console.error(`footprint failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  driver.kill();
  for (const d of [...dirs, dataDir]) rmSync(d, { recursive: true, force: true });
}
