// End-to-end scenarios of the editor core on the real app: undo of a delete, copy between
// journeys through the system clipboard, our context menu, tidy-up and its undo, a
// keyboard-only add-and-connect, arrow-key moves and their undo, and the
// undo-of-a-500-tile-tidy-up benchmark.
// Each scenario creates its journeys over IPC (as the app does), then works through the UI.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { $t, PERF_RUNS, center, check, checkSoon, clickEmptyCanvas, out, shot, textOf, tileNode } from "./lib.mjs";

const invoke = (b, cmd, args) => b.execute((c, a) => window.__TAURI_INTERNALS__.invoke(c, a), cmd, args);

const voice = (id, name) => ({
  type: "voiceConversation",
  id,
  name,
  engagementId: "eng-renewals-voice",
  sendTo: "mobilePhone",
  complianceProfileId: "cp-us-marketing",
  purposeId: "pur-promotions",
  topicId: "top-renewal-offers",
  quietTime: { mode: "inherit" },
});

/** Start → "Renewal call" → "Call outcome" (wait on the call, 2 branches) → "Done". */
function configured(name) {
  return {
    schemaVersion: 1,
    id: "",
    name,
    audience: "contact",
    timeZone: "America/Chicago",
    tiles: [
      { type: "start", id: "start", name: "", start: { kind: "trigger", triggerName: "renewalDue", conditions: [], startAt: null, endAt: null } },
      voice("v1", "Renewal call"),
      {
        type: "waitForTrigger",
        id: "w1",
        name: "Call outcome",
        condition: { kind: "previousMessage", tileId: "v1" },
        branches: [
          { id: "b-att", name: "Reached", interaction: "voiceCallAttempted", conditions: [] },
          { id: "b-not", name: "Missed", interaction: "voiceCallNotAttempted", conditions: [] },
        ],
        timeLimit: { amount: 3, unit: "days" },
      },
      { type: "exit", id: "x1", name: "Done" },
    ],
    connections: [
      { from: "start", output: "next", to: "v1" },
      { from: "v1", output: "next", to: "w1" },
      { from: "w1", output: "b-att", to: "x1" },
      { from: "w1", output: "other", to: "x1" },
    ],
    layout: { positions: { start: { x: 0, y: 0 }, v1: { x: 320, y: 0 }, w1: { x: 640, y: 0 }, x1: { x: 960, y: 0 } } },
  };
}

/** Store a journey through the app's own commands; returns its id. */
async function createJourney(b, doc) {
  return b.execute(async (d) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const created = await invoke("create_journey", { name: d.name, timeZone: d.timeZone });
    d.id = created.summary.id;
    await invoke("save_draft", { document: d });
    return d.id;
  }, doc);
}

/** Open a journey from the list (reloaded so it lists journeys made over IPC). */
async function openFromList(b, name) {
  if (await (await $t(b, "back")).isExisting()) await (await $t(b, "back")).click();
  await b.refresh();
  const link = await b.$(`.journey-link=${name}`);
  await link.waitForDisplayed({ timeout: 15000 });
  await link.click();
  await tileNode(b, "start");
}

async function stored(b, id) {
  await b.waitUntil(async () => (await (await $t(b, "save-state")).getText()).includes("Saved"), { timeout: 5000 });
  return (await invoke(b, "open_journey", { id })).document;
}

/** Same positions for the same tiles, whatever the key order (Rust stores them sorted). */
const samePositions = (a, b) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([id, p]) => b[id] && b[id].x === p.x && b[id].y === p.y);
const semantic = (d) => JSON.stringify({ tiles: d.tiles, connections: d.connections });
const edgeCount = async (b) => (await b.$$(".react-flow__edge")).length;
const tileCount = async (b) => (await b.$$(".react-flow__node")).length;
const tileByName = (b, name) => b.$(`.tile-title=${name}`);

async function clickTile(b, name) {
  const title = await tileByName(b, name);
  await title.waitForDisplayed({ timeout: 5000 });
  // WebDriver would scroll a covered tile into view inside the canvas; a marketer cannot.
  const { x, y } = await center(title);
  const onTop = await b.execute((px, py) => document.elementFromPoint(px, py)?.closest(".react-flow__node")?.textContent ?? null, x, y);
  if (!onTop?.includes(name)) throw new Error(`the tile '${name}' is covered where it would be clicked (by ${onTop ?? "something else"})`);
  await b.action("pointer").move({ x, y }).down().up().perform();
  await b.waitUntil(async () => (await textOf(b, await b.$(".react-flow__node.selected"))).includes(name), {
    timeout: 3000,
    timeoutMsg: `clicking ${name} did not select it`,
  });
}

async function shiftClick(b, el) {
  const { x, y } = await center(el);
  await b.actions([
    b.action("key").down("\uE008").pause(10).pause(10).pause(10).up("\uE008"),
    b.action("pointer").pause(10).move({ x, y }).down().up().pause(10),
  ]);
}

async function rightClick(b, at) {
  await b.action("pointer").move(at).down({ button: 2 }).up({ button: 2 }).perform();
}

const noticeText = async (b) => textOf(b, await $t(b, "notice"));

export async function undoDelete(b) {
  console.log("Delete a configured tile, undo, redo");
  const id = await createJourney(b, configured("Undo me"));
  await openFromList(b, "Undo me");
  const original = await stored(b, id);
  const edges = await edgeCount(b);
  await clickTile(b, "Call outcome");
  await b.keys(["Delete"]);
  await b.waitUntil(async () => !(await (await tileByName(b, "Call outcome")).isExisting()), { timeout: 3000 });
  check((await edgeCount(b)) === edges - 3, "Delete removes the tile with its three connections");
  check((await noticeText(b)).includes("Deleted 'Call outcome'"), "the notice says what was deleted");
  check((await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo delete 'Call outcome'"), "the Undo button names the step");
  await shot(b, "editor-01-deleted");
  await b.keys(["Control", "z"]);
  await (await tileByName(b, "Call outcome")).waitForDisplayed({ timeout: 3000 });
  check((await edgeCount(b)) === edges, "Ctrl+Z restores the tile with its connections");
  check(!(await (await $t(b, "notice")).isExisting()), "…and the 'Deleted · Undo' notice goes with the step it announced");
  await clickTile(b, "Call outcome");
  const watched = await (await b.$('select[data-path="condition.tileId"]')).getValue();
  const branch = await (await b.$('input[data-path="branches.1.name"]')).getValue();
  check(watched === "v1" && branch === "Missed", "…and with its fields (watched call, branch names)");
  check(semantic(await stored(b, id)) === semantic(original), "the saved draft is the original again");
  await clickEmptyCanvas(b);
  await b.keys(["Control", "Shift", "z"]);
  await b.waitUntil(async () => !(await (await tileByName(b, "Call outcome")).isExisting()), { timeout: 3000 });
  check((await edgeCount(b)) === edges - 3, "Ctrl+Shift+Z deletes it again");
  await b.keys(["Control", "y"]);
  await b.pause(300);
  check(!(await (await tileByName(b, "Call outcome")).isExisting()), "Ctrl+Y with nothing to redo changes nothing");
  await (await $t(b, "undo")).click();
  await (await tileByName(b, "Call outcome")).waitForDisplayed({ timeout: 3000 });
  // Edges are drawn once the tiles they join are measured: a frame or two after the tile.
  await b.waitUntil(async () => (await edgeCount(b)) === edges, { timeout: 3000 }).catch(() => {});
  check((await edgeCount(b)) === edges, "the toolbar's Undo restores it too");
  await clickTile(b, "Done");
  await b.keys(["Backspace"]);
  await b.waitUntil(async () => !(await (await tileByName(b, "Done")).isExisting()), {
    timeout: 3000,
    timeoutMsg: `Backspace did not delete the selected tile (${await noticeText(b).catch(() => "no notice")})`,
  });
  check((await noticeText(b)).includes("Deleted 'Done'"), "Backspace deletes the selected tile");
  await (await $t(b, "notice-undo")).click();
  await (await tileByName(b, "Done")).waitForDisplayed({ timeout: 3000 });
  // React Flow draws a restored tile's edges once the tile's handles are measured: a frame later.
  await b.waitUntil(async () => (await edgeCount(b)) === edges, { timeout: 3000 }).catch(() => {});
  check((await edgeCount(b)) === edges, "Backspace deletes, and the notice's Undo brings the tile back");
  // Ctrl+Z in a text field is the field's own undo, not the journey's.
  await clickTile(b, "Done");
  const title = await (await $t(b, "undo")).getAttribute("title");
  await (await b.$('input[data-path="name"]')).click();
  await b.keys(["Control", "z"]);
  await b.pause(300);
  check(
    (await (await $t(b, "undo")).getAttribute("title")) === title && (await (await tileByName(b, "Done")).isExisting()),
    "Ctrl+Z inside a text field leaves the journey's history alone",
  );
  await clickEmptyCanvas(b);
}

export async function copyBetweenJourneys(b) {
  console.log("Copy three tiles from one journey, paste into another");
  await createJourney(b, configured("Copy from"));
  const targetId = await createJourney(b, {
    ...configured("Paste into"),
    tiles: [configured("").tiles[0]],
    connections: [],
    layout: { positions: { start: { x: 0, y: 0 } } },
  });
  await openFromList(b, "Copy from");
  await clickTile(b, "Renewal call");
  await shiftClick(b, await tileByName(b, "Call outcome"));
  await shiftClick(b, await tileByName(b, "Done"));
  check((await b.$$(".react-flow__node.selected")).length === 3, "click and Shift+click select three tiles");
  await b.keys(["Control", "c"]);
  await checkSoon(b, async () => (await noticeText(b)).includes("Copied 3 tiles"), "Ctrl+C copies three tiles", 3000);
  const text = await invoke(b, "plugin:clipboard-manager|read_text", {});
  check(text.includes('"type": "switchboard/tiles"') && text.includes("Call outcome"), "the clipboard holds readable journey JSON");
  await openFromList(b, "Paste into");
  await b.keys(["Control", "v"]);
  await (await tileByName(b, "Call outcome")).waitForDisplayed({ timeout: 5000 });
  await checkSoon(
    b,
    async () => (await tileCount(b)) === 4 && (await edgeCount(b)) === 3,
    "Ctrl+V pastes the three tiles with the three connections among them",
  );
  const doc = await stored(b, targetId);
  const v = doc.tiles.find((t) => t.name === "Renewal call");
  const w = doc.tiles.find((t) => t.name === "Call outcome");
  check(v && v.id !== "v1" && w.id !== "w1", "pasted tiles have new ids");
  check(w.condition.tileId === v.id, "the wait watches the pasted call, not the original");
  check(
    doc.connections.every((c) => c.from !== "w1" && c.to !== "x1"),
    "connections point at the pasted tiles",
  );
  await shot(b, "editor-02-pasted");
  // Something that is not tiles: a clear message, the journey unchanged.
  await invoke(b, "plugin:clipboard-manager|write_text", { text: "not a journey" });
  await b.keys(["Control", "v"]);
  await b.waitUntil(async () => (await noticeText(b)).includes("Couldn't paste"), { timeout: 3000 });
  check((await noticeText(b)).includes("does not hold Switchboard tiles"), `a bad paste says why: "${await noticeText(b)}"`);
  check((await tileCount(b)) === 4, "…and changes nothing");
}

export async function contextMenu(b) {
  console.log("Context menu on a tile and on the canvas");
  await createJourney(b, configured("Menus"));
  await openFromList(b, "Menus");
  const before = await tileCount(b);
  await rightClick(b, await center(await tileByName(b, "Done")));
  const menu = await $t(b, "context-menu");
  await menu.waitForDisplayed({ timeout: 3000 });
  const items = await textOf(b, menu);
  check(
    ["Cut", "Copy", "Paste", "Duplicate", "Delete", "Tidy up"].every((s) => items.includes(s)),
    `the tile menu lists its actions (${items})`,
  );
  await shot(b, "editor-03-tile-menu");
  await (await menu.$('[data-action="duplicate"]')).click();
  await checkSoon(b, async () => (await tileCount(b)) === before + 1, "Duplicate from the menu adds a copy", 3000);
  const pane = await $t(b, "canvas");
  const { x, y } = await pane.getLocation();
  await rightClick(b, { x: Math.round(x + 120), y: Math.round(y + 400) });
  await (await $t(b, "context-menu")).waitForDisplayed({ timeout: 3000 });
  await (await b.$('[data-action="addHere"]')).click();
  await (await b.$('[data-add="waitTime"]')).click();
  await checkSoon(b, async () => (await tileCount(b)) === before + 2, "Add tile here… adds a tile at the pointer", 3000);
  const browserMenu = await b.execute(() => {
    const e = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    document.querySelector(".topbar")?.dispatchEvent(e);
    return e.defaultPrevented;
  });
  check(browserMenu, "the browser's own menu is off outside editable fields");
  const reload = await b.execute(() => {
    const e = new KeyboardEvent("keydown", { key: "F5", bubbles: true, cancelable: true });
    document.body.dispatchEvent(e);
    return e.defaultPrevented;
  });
  check(reload, "F5 does not reload the app");
}

async function positions(b) {
  return b.execute(() =>
    Object.fromEntries(Array.from(document.querySelectorAll(".react-flow__node")).map((n) => [n.getAttribute("data-id"), n.style.transform])),
  );
}

export async function tidyThenUndo(b) {
  console.log("Tidy up, then undo");
  const doc = configured("Tidy me");
  doc.layout.positions = { start: { x: 900, y: 400 }, v1: { x: 0, y: 0 }, w1: { x: 500, y: -300 }, x1: { x: 100, y: 600 } };
  const id = await createJourney(b, doc);
  await openFromList(b, "Tidy me");
  const before = await positions(b);
  await (await $t(b, "tidy-up")).click();
  await b.waitUntil(async () => JSON.stringify(await positions(b)) !== JSON.stringify(before), { timeout: 5000 });
  const tidy = (await stored(b, id)).layout.positions;
  check(tidy.start.x < tidy.v1.x && tidy.v1.x < tidy.w1.x && tidy.w1.x < tidy.x1.x, "tidy-up lays the journey out left to right");
  check((await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo tidy up"), "one step named Tidy up");
  await shot(b, "editor-04-tidy");
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => JSON.stringify(await positions(b)) === JSON.stringify(before), { timeout: 3000 });
  check(samePositions((await stored(b, id)).layout.positions, doc.layout.positions), "one undo puts every tile back");
}

export async function keyboardOnly(b) {
  console.log("Keyboard only: find a tile, add one after it, connected");
  await createJourney(b, {
    ...configured("Keys"),
    tiles: configured("").tiles.slice(0, 2),
    connections: [{ from: "start", output: "next", to: "v1" }],
    layout: { positions: { start: { x: 0, y: 0 }, v1: { x: 320, y: 0 } } },
  });
  await openFromList(b, "Keys");
  await b.keys(["Control", "k"]);
  const input = await $t(b, "find-input");
  await input.waitForDisplayed({ timeout: 3000 });
  await b.keys([..."renewal"]);
  await shot(b, "editor-05-find");
  await b.keys(["Enter"]);
  await b.waitUntil(async () => (await b.$$(".react-flow__node.selected")).length === 1, { timeout: 3000 });
  check((await textOf(b, await b.$(".react-flow__node.selected"))).includes("Renewal call"), "Ctrl+K, type, Enter selects the tile");
  const edges = await edgeCount(b);
  await b.keys(["a"]);
  await (await $t(b, "find-input")).waitForDisplayed({ timeout: 3000 });
  await b.keys([..."exit"]);
  await b.keys(["Enter"]);
  await (await tileNode(b, "exit")).waitForDisplayed({ timeout: 3000 });
  await checkSoon(b, async () => (await edgeCount(b)) === edges + 1, "A, type, Enter adds the tile after the selected one and connects it", { timeout: 3000 });
  await shot(b, "editor-06-keyboard-added");
  await b.execute(() => {
    window.__keysSeen = [];
    window.addEventListener(
      "keydown",
      (e) => window.__keysSeen.push(`${e.key}${e.shiftKey ? "+shift" : ""}${e.ctrlKey ? "+ctrl" : ""}→${e.target?.tagName}`),
      true,
    );
  });
  // WebKitWebDriver sends a bare "?" as "/" without Shift: press what a user presses.
  await b.keys(["Shift", "/"]);
  await (
    await $t(b, "shortcut-sheet")
  ).waitForDisplayed({
    timeout: 3000,
    timeoutMsg: `? did not open the shortcut sheet (keys seen: ${JSON.stringify(await b.execute(() => window.__keysSeen))})`,
  });
  check((await textOf(b, await $t(b, "shortcut-sheet"))).includes("Ctrl+Shift+Z"), "? shows the shortcut sheet");
  await shot(b, "editor-07-shortcuts");
  await b.keys(["Escape"]);
}

export async function arrowKeyMoves(b) {
  console.log("Arrow keys move the selected tiles, one undo step per burst");
  const doc = configured("Arrow keys");
  const id = await createJourney(b, doc);
  await openFromList(b, "Arrow keys");
  await clickTile(b, "Done");
  // One keys() call per press: within one call WebdriverIO releases keys only at the end, so a
  // repeated key would be one press.
  const press = async (key, times) => {
    for (let i = 0; i < times; i++) await b.keys([key]);
  };
  await press("ArrowRight", 3);
  await b.waitUntil(async () => (await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo move 'Done'"), {
    timeout: 3000,
    timeoutMsg: "three arrow presses did not make an undo step named after the tile",
  });
  let p = (await stored(b, id)).layout.positions;
  check(p.x1.x === 975 && p.x1.y === 0, `three presses of → move the tile 15 px, stored (x1 at ${p.x1.x},${p.x1.y})`);
  await shiftClick(b, await tileByName(b, "Call outcome"));
  await b.waitUntil(async () => (await b.$$(".react-flow__node.selected")).length === 2, { timeout: 3000 });
  await press("ArrowDown", 2);
  await b.waitUntil(async () => (await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo move 2 tiles"), {
    timeout: 3000,
    timeoutMsg: "arrow presses on two tiles did not make a step named 'move 2 tiles'",
  });
  p = (await stored(b, id)).layout.positions;
  check(p.x1.y === 10 && p.w1.y === 10, "two presses of ↓ move both selected tiles, stored");
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo move 'Done'"), { timeout: 3000 });
  await b.keys(["Control", "z"]);
  await b.waitUntil(async () => (await (await $t(b, "save-state")).getText()).includes("Saved"), { timeout: 5000 });
  check(samePositions((await stored(b, id)).layout.positions, doc.layout.positions), "two undos (one per burst) put both tiles back");
}

/** A 500-tile chain of calls, waits and exits. */
function bigJourney(n) {
  const doc = { ...configured("Bench tidy 500"), tiles: [configured("").tiles[0]], connections: [], layout: { positions: { start: { x: 0, y: 0 } } } };
  let prev = "start";
  for (let i = 1; i < n; i++) {
    const id = `t${i}`;
    doc.tiles.push(
      i % 3 === 1
        ? voice(id, `Call ${i}`)
        : i % 3 === 2
          ? { type: "waitTime", id, name: `Wait ${i}`, wait: { kind: "duration", amount: 1, unit: "days" } }
          : { type: "exit", id, name: `Exit ${i}` },
    );
    doc.layout.positions[id] = { x: (i % 25) * 300, y: Math.floor(i / 25) * 220 };
    if (prev) doc.connections.push({ from: prev, output: "next", to: id });
    prev = i % 3 === 0 ? null : id;
  }
  return doc;
}

/** Undo of a 500-tile tidy-up, from the key to the tiles drawn back where they were. */
export async function measureUndoTidy(b) {
  console.log("Benchmark: undo of a 500-tile tidy-up");
  const doc = bigJourney(500);
  const id = await createJourney(b, doc);
  await openFromList(b, "Bench tidy 500");
  const times = [];
  for (let run = 0; run < PERF_RUNS; run++) {
    await (await $t(b, "tidy-up")).click();
    await b.waitUntil(async () => (await (await $t(b, "undo")).getAttribute("title")).startsWith("Undo tidy up"), { timeout: 30000 });
    await b.pause(500);
    // From the key to the first frame drawn with the start tile back where it was.
    const ms = await b.executeAsync((done) => {
      const at = () => document.querySelector(".react-flow__node[data-id='start']")?.style.transform;
      const tidy = at();
      const t0 = performance.now();
      document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "z", code: "KeyZ", ctrlKey: true, bubbles: true, cancelable: true }));
      const poll = () => (at() !== tidy ? requestAnimationFrame(() => done(performance.now() - t0)) : requestAnimationFrame(poll));
      poll();
    });
    const back = (await stored(b, id)).layout.positions;
    check(samePositions(back, doc.layout.positions), `run ${run + 1}: undo put 500 tiles back, drawn after ${ms.toFixed(0)} ms`);
    times.push(ms);
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)];
  writeFileSync(path.join(out, "undo-tidy-500.json"), JSON.stringify({ tiles: 500, runs: times, medianMs: median }, null, 2));
  console.log(`  · undo of a 500-tile tidy-up: median ${median.toFixed(0)} ms over ${times.length} runs (goal ≤ 100 ms; see BENCHMARKS.md)`);
}
