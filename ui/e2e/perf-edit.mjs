// Edit → badges on the canvas, in the real app, at 100, 1,000 and 10,000 tiles (issue 11).
// Run alone on the optimised build (see BENCHMARKS.md), from ui/ after `scripts/run.sh`'s build:
//   SWITCHBOARD_APP=../target/release/switchboard xvfb-run -a -s "-screen 0 1280x800x24" node e2e/perf-edit.mjs
// PERF_SIZES=100,1000 and PERF_EDITS=N narrow it; PERF_SHOTS=1 also saves the canvas after the
// edits at 1280×800 and 960×600 (out/perf-edit-<tiles>-<width>.png) to look at.
// For each size: a generated journey is saved, opened, a voice tile selected; then its purpose
// is cleared and set again, alternately, through the inspector's select. Each edit is timed
// from the change event to the tile's badge changing in the DOM (error ↔ warning), and to the
// next animation frame after that (the badge drawn). A requestAnimationFrame probe records
// the longest gap between frames while the edits run. Results: ui/e2e/out/perf-edit.json.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { $t, here, out, session, shot, startDriver } from "./lib.mjs";

const EDITS = Number(process.env.PERF_EDITS ?? 40);
const SIZES = (process.env.PERF_SIZES ?? "100,1000,10000").split(",").map(Number);
const SHOTS = process.env.PERF_SHOTS === "1";

async function shots(b, tiles) {
  for (const [width, height] of [
    [1280, 800],
    [960, 600],
  ]) {
    await b.setWindowSize(width, height);
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) <= width, {
      timeout: 5000,
      timeoutMsg: `the window did not become ${width} wide`,
    });
    await b.pause(500);
    await shot(b, `perf-edit-${tiles}-${width}`);
  }
  await b.setWindowSize(1280, 800);
}

/** start → (voice → wait time)* … → exit: every voice tile carries one warning (no wait after it). */
export function journeyOf(tiles) {
  const doc = {
    schemaVersion: 1,
    id: "placeholder",
    name: `Edit bench ${tiles} tiles`,
    audience: "contact",
    timeZone: "UTC",
    tiles: [{ type: "start", id: "start", name: "", start: null }],
    connections: [],
    layout: { positions: { start: { x: 0, y: 0 } } },
  };
  let prev = "start";
  for (let i = 1; i < tiles; i++) {
    const id = `t${i}`;
    const last = i === tiles - 1;
    doc.tiles.push(
      last
        ? { type: "exit", id, name: "Done" }
        : i % 2 === 1
          ? {
              type: "voiceConversation",
              id,
              name: `Call ${i}`,
              engagementId: "eng-renewals-voice",
              sendTo: "mobilePhone",
              complianceProfileId: "cp-us-marketing",
              purposeId: "pur-promotions",
              topicId: "top-renewal-offers",
              quietTime: { mode: "inherit" },
            }
          : { type: "waitTime", id, name: `Wait ${i}`, wait: { kind: "duration", amount: 1, unit: "days" } },
    );
    doc.layout.positions[id] = { x: (i % 25) * 300, y: Math.floor(i / 25) * 220 };
    doc.connections.push({ from: prev, output: "next", to: id });
    prev = id;
  }
  return doc;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(b, tiles) {
  const doc = journeyOf(tiles);
  const bytes = JSON.stringify(doc).length;
  await b.execute(async (d) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const created = await invoke("create_journey", { name: d.name, timeZone: "UTC" });
    d.id = created.summary.id;
    await invoke("save_draft", { document: d });
  }, doc);
  await b.refresh();
  const link = await b.$(`.journey-link=${doc.name}`);
  await link.waitForDisplayed({ timeout: 30000 });
  await link.click();
  // Polled in the page: on a busy machine WebDriver's element search at 10,000 tiles can fail.
  await b.waitUntil(async () => await b.execute(() => document.querySelector('.react-flow__node[data-id="t1"]') !== null), {
    timeout: 180000,
    interval: 1000,
    timeoutMsg: "the journey's first voice tile was not drawn in 3 minutes",
  });
  await b.execute(() => document.querySelector('.react-flow__node[data-id="t1"]')?.dispatchEvent(new MouseEvent("click", { bubbles: true })));
  const select = await b.$('select[data-path="purposeId"]');
  await select.waitForExist({ timeout: 60000 });
  await b.waitUntil(async () => await b.execute(() => document.querySelector('.react-flow__node[data-id="t1"] .badge-warning') !== null), {
    timeout: 30000,
    timeoutMsg: "the voice tile never showed its warning badge",
  });
  // The edits run in the page and the result is polled: a 10,000-tile run on a slow build
  // outlasts WebDriver's per-request timeout.
  await b.execute((edits) => {
    window.__perfEdit = null;
    const done = (r) => (window.__perfEdit = r);
    const select = document.querySelector('select[data-path="purposeId"]');
    const node = document.querySelector('.react-flow__node[data-id="t1"]');
    const setValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
    let probing = true;
    let last = performance.now();
    let maxGap = 0;
    const gaps = [];
    const tick = (t) => {
      gaps.push(t - last);
      maxGap = Math.max(maxGap, t - last);
      last = t;
      if (probing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const badgeIs = (cls) => node.querySelector(`[data-testid="tile-badge"].${cls}`) !== null;
    const once = (toError) =>
      new Promise((resolve) => {
        const want = toError ? "badge-error" : "badge-warning";
        const t0 = performance.now();
        // The app's marks (journey-store.ts), when the build has them: where the time went.
        const at = (name) => {
          const m = performance.getEntriesByName(`switchboard:${name}`).at(-1);
          return m && m.startTime >= t0 ? m.startTime - t0 : null;
        };
        let sync = null;
        const observer = new MutationObserver(() => {
          if (!badgeIs(want)) return;
          const dom = performance.now() - t0;
          observer.disconnect();
          const steps = {
            sync,
            sent: at("validate-sent"),
            stored: at("edit-stored"),
            answered: at("validate-answered"),
            applied: at("problems-applied"),
          };
          requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0, ...steps }));
        });
        observer.observe(node, { subtree: true, childList: true, attributes: true, characterData: true });
        setValue.call(select, toError ? "" : "pur-promotions");
        select.dispatchEvent(new Event("change", { bubbles: true }));
        // The edit's own synchronous work: React handling the change and drawing the edit.
        sync = performance.now() - t0;
      });
    (async () => {
      const runs = [];
      for (let i = 0; i < edits; i++) {
        runs.push(await once(i % 2 === 0));
        // A marketer's next change comes later than the next frame.
        await new Promise((r) => setTimeout(r, 30));
      }
      probing = false;
      done({ runs, maxGap, frames: gaps.length });
    })();
  }, EDITS);
  await b.waitUntil(async () => await b.execute(() => window.__perfEdit !== null), {
    timeout: 20 * 60 * 1000,
    interval: 500,
    timeoutMsg: "the edits did not finish in 20 minutes",
  });
  const result = await b.execute(() => window.__perfEdit);
  const dom = result.runs.map((r) => r.dom).sort((x, y) => x - y);
  const frame = result.runs.map((r) => r.frame).sort((x, y) => x - y);
  const median = (key) => {
    const xs = result.runs.map((r) => r[key]).filter((x) => typeof x === "number");
    return xs.length
      ? quantile(
          xs.sort((x, y) => x - y),
          0.5,
        )
      : null;
  };
  const row = {
    tiles,
    bytes,
    edits: EDITS,
    domP50: quantile(dom, 0.5),
    domP95: quantile(dom, 0.95),
    frameP50: quantile(frame, 0.5),
    frameP95: quantile(frame, 0.95),
    maxFrameGap: result.maxGap,
    // Medians from the change event: validation sent, the edit in the store, the event's
    // synchronous handling done (React's render of the edit included), validation answered
    // (IPC + Rust, after whatever the page was busy with), the answer applied to the store.
    steps: { sent: median("sent"), stored: median("stored"), sync: median("sync"), answered: median("answered"), applied: median("applied") },
  };
  const ms = (x) => (x === null ? "–" : `${x.toFixed(0)}`);
  console.log(
    `  · ${tiles} tiles (${(bytes / 1e6).toFixed(2)} MB): edit → badge in DOM p50 ${row.domP50.toFixed(1)} ms, p95 ${row.domP95.toFixed(1)} ms; ` +
      `→ next frame p50 ${row.frameP50.toFixed(1)} ms, p95 ${row.frameP95.toFixed(1)} ms; longest frame gap ${row.maxFrameGap.toFixed(0)} ms; ` +
      `steps (median ms from the change): sent ${ms(row.steps.sent)}, stored ${ms(row.steps.stored)}, sync ${ms(row.steps.sync)}, ` +
      `answered ${ms(row.steps.answered)}, applied ${ms(row.steps.applied)}`,
  );
  if (SHOTS) await shots(b, tiles);
  await (await $t(b, "back")).click();
  return row;
}

/** Measure every size in a fresh session; writes out/perf-edit.json and returns the rows. */
export async function perfEdit(args) {
  console.log("Edit → badges at 100, 1,000 and 10,000 tiles");
  const b = await session(args);
  try {
    await (await $t(b, "new-journey")).waitForClickable({ timeout: 15000 });
    // The source tree's sample catalog, named explicitly: a binary built in another checkout
    // (the "before" build of a side-by-side run) would look for it where it was compiled.
    await b.executeAsync(
      (file, done) => {
        window.__TAURI_INTERNALS__.invoke("set_catalog_source", { path: file }).then(
          () => done(),
          (e) => done(e),
        );
      },
      path.resolve(here, "../../journeys/samples/catalog.json"),
    );
    const rows = [];
    for (const tiles of SIZES) rows.push(await measure(b, tiles));
    writeFileSync(path.join(out, "perf-edit.json"), JSON.stringify(rows, null, 2));
    return rows;
  } finally {
    await b.deleteSession();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const driver = await startDriver();
  try {
    await perfEdit();
  } catch (e) {
    console.error(`perf-edit failed: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  } finally {
    driver.kill();
  }
}
