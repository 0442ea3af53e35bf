// End-to-end test of the REAL designer: the production binary driven through tauri-driver and
// WebKitWebDriver (run under `xvfb-run -a`, see scripts/e2e.sh). It builds a journey as a
// marketer would, checks live validation, restarts the app and finds the draft intact, then
// publishes it to the built-in runtime, imports sample contacts with consent and watches the
// counts arrive on the tiles, test-runs it (200 made-up contacts; a million, cancelled; three
// from a CSV with their consent, times read in each contact's zone), then measures opening a
// 500-tile journey to first paint.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  $t,
  PERF_RUNS,
  bigJourney,
  center,
  check,
  checkSoon,
  choose,
  clickUntil,
  clickEmptyCanvas,
  connectTiles,
  dataDir,
  drag,
  failures,
  out,
  problemsText,
  selectTile,
  session,
  shot,
  startDriver,
  textOf,
  tileNode,
  waitSaved,
} from "./lib.mjs";
import { arrowKeyMoves, contextMenu, copyBetweenJourneys, keyboardOnly, measureUndoTidy, tidyThenUndo, undoDelete } from "./editor.mjs";
import { filesRoundTrip } from "./files.mjs";
import { publishAndWatch } from "./live.mjs";
import { appearancePersists, polish, popupsFollowTheme } from "./polish.mjs";
import { importWarnings, testRunWarnings } from "./contract.mjs";
import { compareRestoreReview } from "./review.mjs";
import { versionsPanel } from "./versions.mjs";
import { tileInsight } from "./insight.mjs";
import { pageValidates } from "./wasm.mjs";

async function buildJourney(b) {
  console.log("Build a journey");
  const newBtn = await $t(b, "new-journey");
  await newBtn.waitForClickable({ timeout: 15000 });
  await shot(b, "01-empty-list");
  await newBtn.click();
  const name = await $t(b, "name-input");
  await name.setValue("Renewal calls");
  await (await $t(b, "name-submit")).click();
  check(await (await tileNode(b, "start")).isDisplayed(), "a new journey opens with its start tile");

  // Live validation loop on the journey name: clear it, see the problem, click it, fix it.
  const journeyName = await b.$('[data-journey-path="name"]');
  await journeyName.click();
  await b.keys(["Control", "a"]);
  await b.keys(["Backspace"]);
  await b.waitUntil(async () => (await problemsText(b)).includes("name"), { timeout: 3000 });
  check((await problemsText(b)).includes("Give the journey a name"), "clearing the name shows a problem");
  await shot(b, "01b-problem");
  await (await $t(b, "problem")).click();
  check(await b.execute(() => document.activeElement?.getAttribute("data-journey-path") === "name"), "clicking the problem focuses the name field");
  await journeyName.setValue("Renewal calls");
  await checkSoon(b, async () => !(await problemsText(b)).includes("Give the journey a name"), "naming the journey clears the problem", { timeout: 3000 });

  // Drag the three tiles from the palette onto the canvas.
  // Lay the tiles out left to right: zoom out a step, and pan left before each drop.
  await (await b.$(".react-flow__controls-zoomout")).click();
  await b.pause(300);
  const pane = await $t(b, "canvas");
  let prev = "start";
  for (const kind of ["voiceConversation", "waitForTrigger", "attributeBranch"]) {
    const { x: left, y: top } = await pane.getLocation();
    const { width } = await pane.getSize();
    const grab = { x: Math.round(left + width - 60), y: Math.round(top + 40) };
    await drag(b, grab, { x: grab.x - 250, y: grab.y });
    await b.pause(200);
    const p = await center(await tileNode(b, prev));
    await drag(b, await center(await $t(b, `palette-${kind}`)), { x: p.x + 250, y: p.y + (kind === "attributeBranch" ? 40 : 0) });
    check(await (await tileNode(b, kind)).isDisplayed(), `dragged a ${kind} tile onto the canvas`);
    prev = kind;
  }
  await b.execute(() => document.querySelector(".react-flow__controls-fitview")?.click());
  await b.pause(400);
  await shot(b, "02-three-tiles");
  const voiceBadgeBefore = await (await tileNode(b, "voiceConversation")).$('[data-testid="tile-badge"]').isExisting();
  check(voiceBadgeBefore, "the unconfigured voice tile shows a problem badge");

  // Configure the voice tile through the lookups.
  await selectTile(b, "voiceConversation");
  const lookup = await b.$('[data-testid="engagement-lookup"] input');
  await lookup.click();
  await lookup.setValue("renewal");
  const option = await b.$(".combo-option*=Policy renewal calls");
  await option.waitForDisplayed({ timeout: 3000 });
  check((await option.getText()).includes("Preview dialling"), "the lookup shows the dial mode");
  check((await option.getText()).includes("created Mar 2, 2026"), "the lookup shows the created date");
  await shot(b, "03-engagement-lookup");
  await option.click();
  await choose(b, 'select[data-path="complianceProfileId"]', "cp-us-marketing");
  await choose(b, 'select[data-path="purposeId"]', "pur-promotions");
  await choose(b, 'select[data-path="topicId"]', "top-renewal-offers");
  await checkSoon(
    b,
    async () => (await (await $t(b, "quiet-time-summary")).getText()).includes("US calling hours"),
    "the voice tile shows the profile's effective quiet time",
    { timeout: 3000, detail: async () => "no quiet-time summary" },
  );
  const voiceText = await textOf(b, await tileNode(b, "voiceConversation"));
  check(voiceText.includes("Policy renewal calls"), `the voice tile shows its engagement at a glance (${JSON.stringify(voiceText)})`);
  await shot(b, "04-voice-configured");

  // Wait for trigger: watch the call, three branches with their interactions, 7 days.
  await selectTile(b, "waitForTrigger");
  const voiceId = await (await tileNode(b, "voiceConversation")).getAttribute("data-tile-id");
  await choose(b, 'select[data-path="condition.tileId"]', voiceId);
  const interactions = ["voiceCallAttempted", "voiceCallNotAttempted", "voiceCallBlocked"];
  for (let i = 0; i < 3; i++) {
    await clickUntil(
      b,
      "button=+ Add branch",
      async () => (await b.$(`select[data-path="branches.${i}.interaction"]`)).isExisting(),
      `branch ${i + 1} of the wait`,
    );
    await choose(b, `select[data-path="branches.${i}.interaction"]`, interactions[i]);
  }
  const waitText = await textOf(b, await tileNode(b, "waitForTrigger"));
  check(
    ["Attempted", "Not attempted", "Blocked", "Other", "Time limit: 7 days"].every((s) => waitText.includes(s)),
    "the wait tile shows one labelled output per branch, Other and its time limit",
  );

  await shot(b, "04b-wait-configured");

  // Attribute branch on the call's result.
  await selectTile(b, "attributeBranch");
  await choose(b, 'select[data-path="source"]', "voiceCall");
  await (await b.$('select[data-path="source.tileId"]')).waitForExist({ timeout: 5000 });
  await clickUntil(
    b,
    "button=+ Add branch",
    async () => (await b.$('select[data-path="branches.0.conditions.0.variable"]')).isExisting(),
    "the attribute branch's first branch",
  );
  await b.waitUntil(async () => (await b.$$('select[data-path="branches.0.conditions.0.variable"] option')).length > 3, {
    timeout: 3000,
    timeoutMsg: "no condition variables from Rust",
  });
  await choose(b, 'select[data-path="branches.0.conditions.0.variable"]', "result");
  await choose(b, 'select[data-path="branches.0.conditions.0.operator"]', "equals");
  await choose(b, 'select[data-path="branches.0.conditions.0.value"]', "LiveAnswer");
  const branchName = await b.$('input[data-path="branches.0.name"]');
  await branchName.click();
  await b.keys(["Control", "a"]);
  await branchName.addValue("Answered");
  await b.waitUntil(async () => (await branchName.getValue()) === "Answered", { timeout: 3000 });

  await shot(b, "04c-branch-configured");

  // Start: contacts enter on a trigger.
  await selectTile(b, "start");
  await (await (await b.$('[data-path="start"]')).$("button=Trigger")).click();
  await (await b.$('input[data-path="start.triggerName"]')).setValue("renewalDue");

  // Move a tile, and add then delete one with the keyboard.
  const branchTile = await tileNode(b, "attributeBranch");
  const moveFrom = await center(await branchTile.$(".tile-head"));
  const before = await branchTile.$("..").then((n) => n.getAttribute("style"));
  await drag(b, moveFrom, { x: moveFrom.x, y: moveFrom.y + 70 });
  await checkSoon(b, async () => (await (await branchTile.$("..")).getAttribute("style")) !== before, "dragging a tile moves it", {
    timeout: 3000,
    detail: async () => "the tile did not move",
  });
  const below = await center(await tileNode(b, "voiceConversation"));
  await drag(b, await center(await $t(b, "palette-exit")), { x: below.x, y: below.y + 160 });
  const exit = await tileNode(b, "exit");
  await (await exit.$(".tile-head")).click();
  await b.keys(["Delete"]);
  await checkSoon(b, async () => !(await (await $t(b, "tile-exit")).isExisting()), "a tile added from the palette is deleted with the Delete key", {
    timeout: 3000,
  });

  // Connect the branches.
  await connectTiles(b, "start", "Next", "voiceConversation");
  await connectTiles(b, "voiceConversation", "Next", "waitForTrigger");
  await connectTiles(b, "waitForTrigger", "Attempted", "attributeBranch");
  check((await b.$$(".react-flow__edge")).length === 3, "connected start → voice → wait → (Attempted) attribute branch");

  await b.waitUntil(async () => (await $t(b, "problems-none")).isExisting(), {
    timeout: 5000,
    timeoutMsg: `problems remain: ${await problemsText(b)}`,
  });
  check((await b.$$('[data-testid="tile-badge"]')).length === 0, "every tile badge has cleared");
  await clickEmptyCanvas(b);
  await b.execute(() => document.querySelector(".react-flow__controls-fitview")?.click());
  await b.pause(400);
  await waitSaved(b);
  await shot(b, "05-journey-done");
  await selectTile(b, "voiceConversation");
  await b.pause(300);
  await shot(b, "05b-journey-voice-selected");
  const style = await (await (await tileNode(b, "attributeBranch")).$("..")).getAttribute("style");
  const branchStyle = /translate\([^)]*\)/.exec(style)?.[0] ?? "missing";
  return { voiceId, branchStyle };
}

async function checkDraftSurvives(b, { voiceId, branchStyle }) {
  console.log("Restart and reopen");
  let row = await b.$(".journey-link=Renewal calls");
  await row.waitForDisplayed({ timeout: 15000 }).catch(() => {});
  check(await row.isDisplayed(), "the journey is listed after a restart");
  await shot(b, "06-list-after-restart");
  await (await $t(b, "nav-settings")).click();
  const refreshed = await $t(b, "last-refreshed");
  await refreshed.waitForDisplayed({ timeout: 3000 });
  check(!(await refreshed.getText()).includes("never"), "Settings shows when the catalog cache was last refreshed");
  await shot(b, "06b-settings");
  await (await b.$("button=Journeys")).click();
  row = await b.$(".journey-link=Renewal calls");
  await row.waitForDisplayed({ timeout: 5000 });
  await row.click();
  const voice = await tileNode(b, "voiceConversation");
  check((await voice.getAttribute("data-tile-id")) === voiceId, "the voice tile kept its id");
  check((await textOf(b, voice)).includes("Policy renewal calls"), "the voice tile kept its engagement");
  check((await b.$$(".react-flow__node")).length === 4, "all four tiles are back");
  check((await b.$$(".react-flow__edge")).length === 3, "all three connections are back");
  const branchNode = await (await tileNode(b, "attributeBranch")).$("..");
  check((await branchNode.getAttribute("style")).includes(branchStyle), "the moved tile kept its position");
  await checkSoon(b, async () => (await $t(b, "problems-none")).isExisting(), "the reopened draft is still valid");
  await (await $t(b, "back")).click();
}

async function manageJourneys(b) {
  console.log("Duplicate, rename and delete from the list");
  const rowOf = async (name) => {
    for (const r of await b.$$('[data-testid="journey-row"]')) {
      // textContent: WebKitWebDriver reads no text from an ellipsised (overflow: hidden) button.
      if ((await textOf(b, await r.$(".journey-link"))) === name) return r;
    }
    return null;
  };
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  await (await (await rowOf("Renewal calls")).$("button=Duplicate")).click();
  await checkSoon(b, async () => (await rowOf("Renewal calls (copy)")) !== null, "duplicating lists a copy", { timeout: 3000 });
  await (await (await rowOf("Renewal calls (copy)")).$("button=Rename")).click();
  const input = await $t(b, "name-input");
  await input.click();
  await b.keys(["Control", "a"]);
  await input.addValue("Win-back calls");
  await (await $t(b, "name-submit")).click();
  await checkSoon(b, async () => (await rowOf("Win-back calls")) !== null, "renaming updates the list", { timeout: 3000 });
  await (await (await rowOf("Win-back calls")).$("button=Delete")).click();
  const confirm = await $t(b, "confirm-delete");
  await confirm.waitForDisplayed({ timeout: 3000 });
  await shot(b, "06c-delete-confirmation");
  await confirm.click();
  await b.waitUntil(async () => (await rowOf("Win-back calls")) === null, { timeout: 3000 });
  check((await rowOf("Renewal calls")) !== null, "deleting after confirmation removes only that journey");
}

async function measureOpen(b) {
  console.log("Open a 500-tile journey to first paint");
  const id = await b.execute(
    async (doc) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const created = await invoke("create_journey", { name: "Bench", timeZone: "UTC" });
      doc.id = created.summary.id;
      await invoke("save_draft", { document: doc });
      return doc.id;
    },
    bigJourney("placeholder", 500),
  );
  const times = [];
  for (let run = 0; run < PERF_RUNS; run++) {
    await b.refresh();
    const link = await b.$(".journey-link=Bench 500 tiles");
    await link.waitForDisplayed({ timeout: 15000 });
    await link.click();
    await b.waitUntil(async () => b.execute(() => performance.getEntriesByName("journey-painted").length > 0), {
      timeout: 30000,
      timeoutMsg: "the 500-tile journey never painted",
    });
    const ms = await b.execute(
      () => performance.getEntriesByName("journey-painted")[0].startTime - performance.getEntriesByName("journey-open-requested")[0].startTime,
    );
    const loaded = await b.execute(
      () => (performance.getEntriesByName("journey-loaded")[0]?.startTime ?? NaN) - performance.getEntriesByName("journey-open-requested")[0].startTime,
    );
    console.log(`  · run ${run + 1}: document loaded over IPC after ${loaded.toFixed(0)} ms`);
    const nodes = (await b.$$(".react-flow__node")).length;
    check(nodes > 0, `run ${run + 1}: ${nodes} tiles rendered in view, painted after ${ms.toFixed(0)} ms`);
    times.push(ms);
    if (run === 0) await shot(b, "07-500-tiles");
    await (await $t(b, "back")).click();
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)];
  const result = { journeyId: id, tiles: 500, runs: times, medianMs: median };
  writeFileSync(path.join(out, "open-500.json"), JSON.stringify(result, null, 2));
  // A figure for BENCHMARKS.md (goal: median ≤ 1 s), not a pass/fail check: timings on a shared
  // machine flake, so the suite only checks that the big journey opens and draws.
  console.log(`  · open-to-first-paint median ${median.toFixed(0)} ms over ${times.length} runs (goal ≤ 1000 ms; see BENCHMARKS.md)`);
}

/** A valid, empty SQLite file whose user_version (the schema version) is 99. */
function newerDatabase() {
  const page = Buffer.alloc(4096);
  page.write("SQLite format 3\0", 0, "latin1");
  page.writeUInt16BE(4096, 16);
  page[18] = 1;
  page[19] = 1;
  page[21] = 64;
  page[22] = 32;
  page[23] = 32;
  page.writeUInt32BE(1, 24); // change counter
  page.writeUInt32BE(1, 28); // pages
  page.writeUInt32BE(4, 44); // schema format
  page.writeUInt32BE(1, 56); // UTF-8
  page.writeUInt32BE(99, 60); // user_version
  page.writeUInt32BE(1, 92);
  page.writeUInt32BE(3045000, 96);
  page[100] = 0x0d; // empty table b-tree leaf
  page.writeUInt16BE(4096 % 65536, 105);
  return page;
}

async function refusesNewerDatabase() {
  console.log("A database from a newer Switchboard");
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-newer-"));
  const file = path.join(dir, "switchboard.sqlite3");
  const bytes = newerDatabase();
  writeFileSync(file, bytes);
  const b = await session(["--data-dir", dir]);
  try {
    const banner = await b.$(".banner-error");
    await banner.waitForDisplayed({ timeout: 15000 });
    const text = await banner.getText();
    check(text.includes("newer Switchboard") && text.includes("left untouched"), `the app says why it cannot open it: "${text}"`);
    await shot(b, "08-newer-database");
  } finally {
    await b.deleteSession();
  }
  check(readFileSync(file).equals(bytes), "the newer database file is byte for byte unchanged");
  rmSync(dir, { recursive: true, force: true });
}

const driver = await startDriver();
try {
  let b = await session();
  let built;
  try {
    built = await buildJourney(b);
    await pageValidates(b);
    await (await $t(b, "back")).click();
  } catch (e) {
    await shot(b, "failure-1").catch(() => {});
    throw e;
  } finally {
    await b.deleteSession();
  }
  b = await session();
  try {
    await checkDraftSurvives(b, built);
    await publishAndWatch(b);
    await importWarnings(b);
    await testRunWarnings(b);
    await versionsPanel(b);
    await manageJourneys(b);
    await polish(b);
    if (process.env.E2E_SKIP_PERF !== "1") await measureOpen(b);
    await undoDelete(b);
    await copyBetweenJourneys(b);
    await contextMenu(b);
    await tidyThenUndo(b);
    await keyboardOnly(b);
    await arrowKeyMoves(b);
    if (process.env.E2E_SKIP_PERF !== "1") await measureUndoTidy(b);
    await popupsFollowTheme(b);
  } catch (e) {
    await shot(b, "failure-2").catch(() => {});
    throw e;
  } finally {
    await b.deleteSession();
  }
  await refusesNewerDatabase();
  await filesRoundTrip();
  await appearancePersists();
  await compareRestoreReview();
  await tileInsight();
  console.log("E2E passed");
} catch (e) {
  console.error(`E2E failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  driver.kill();
  if (process.env.E2E_KEEP_DATA === "1") console.log(`data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  if (failures) process.exitCode = 1;
}
