// Per-tile insight (issue 12, item 7) on the real app, in its own data directory: open the
// sample, import its 20 contacts, publish; the start tile's insight says 20 entered and the
// export of its contacts (through the queued save pick) writes a CSV with the 20 of them; the
// call-result wait's "Blocked" branch exports exactly the contacts its row counts; a version
// opened read-only shows the insight of the tile clicked there, and editing keys pressed there
// leave the hidden draft alone. Screenshots at 1280×800 and
// 960×600, light and dark.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, here, session, shot, textOf, tileNode, waitSaved } from "./lib.mjs";

const CSV_HEADER = "contactId,phone,timeZone,runStatus,phase,enteredAt,branch,branchName,leftAt";

async function setInput(b, selector, value) {
  // Through the native setter so React sees the change (datetime-local ignores typed keys).
  await b.execute(
    (sel, v) => {
      const el = document.querySelector(sel);
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(el, v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    selector,
    value,
  );
}

/** Click the head of the tile with id `id` (the inspector may cover part of the canvas). */
async function selectById(b, id) {
  const head = await b.$(`.react-flow__node[data-id="${id}"] .tile-head`);
  await head.waitForExist({ timeout: 5000 });
  await b.execute((el) => el.dispatchEvent(new MouseEvent("click", { bubbles: true })), head);
}

/** The count of insight row `key`, once `ok` holds for it (the insight is re-read every 3 s). */
async function rowCount(b, key, ok, what) {
  let last = null;
  await b.waitUntil(
    async () => {
      const row = await b.$(`[data-testid="tile-insight"] [data-insight="${key}"] .insight-count`);
      last = (await row.isExisting()) ? Number((await textOf(b, row)).replace(/[^\d]/g, "")) : null;
      return last !== null && ok(last);
    },
    { timeout: 30000, timeoutMsg: `${what}: ${last}` },
  );
  check(true, `${what} (${last})`);
  return last;
}

/** Export through the queued save pick; the result line's text and the file's rows. */
async function exportTo(b, button, file) {
  await b.execute((f) => (window.__switchboardPicks = { save: [f] }), file);
  await (await $t(b, button)).click();
  const result = await $t(b, "insight-export-result");
  await result.waitForDisplayed({ timeout: 15000 });
  const text = await textOf(b, result);
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  return { text, header: lines[0], rows: lines.slice(1).map((l) => l.split(",")) };
}

async function chooseAppearance(b, which) {
  await (await $t(b, "back")).click();
  await (await $t(b, "nav-settings")).click();
  const option = await $t(b, `appearance-${which}`);
  await option.waitForClickable({ timeout: 5000 });
  await option.click();
  await b.waitUntil(async () => (await option.getAttribute("aria-checked")) === "true", { timeout: 3000 });
  await (await b.$("button.nav=Journeys")).click();
  await (await b.$('[data-testid="journey-row"] .journey-link')).click();
  await tileNode(b, "start");
}

export async function tileInsight() {
  console.log("Per-tile insight and the CSV export of a tile's contacts");
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-insight-"));
  const work = mkdtempSync(path.join(tmpdir(), "switchboard-insight-out-"));
  const b = await session(["--data-dir", dataDir]);
  try {
    await (await $t(b, "open-sample")).waitForClickable({ timeout: 15000 });
    await (await $t(b, "open-sample")).click();
    await tileNode(b, "start");
    await selectById(b, "start");
    await (await $t(b, "inspector")).waitForDisplayed({ timeout: 3000 });
    await setInput(b, 'input[data-path="start.startAt"]', "2026-01-01T00:00");
    await waitSaved(b);

    await (await $t(b, "contacts")).click();
    await (await $t(b, "contacts-dialog")).waitForDisplayed({ timeout: 3000 });
    const contactsFile = path.resolve(here, "../../runtime/samples/contacts.csv");
    await b.execute((f) => (window.__switchboardPicks = { open: [f] }), contactsFile);
    await (await $t(b, "contacts-choose")).click();
    await b.waitUntil(async () => (await (await b.$("#contacts-path")).getValue()) === contactsFile, { timeout: 3000 });
    await (await b.$("#consents-path")).setValue(path.resolve(here, "../../runtime/samples/consents.csv"));
    await (await $t(b, "contacts-import")).click();
    await (await $t(b, "import-result")).waitForDisplayed({ timeout: 10000 });
    await (await $t(b, "contacts-close")).click();
    const publish = await $t(b, "publish");
    await b.waitUntil(async () => publish.isEnabled(), { timeout: 10000, timeoutMsg: "Publish stays disabled" });
    await publish.click();
    await b.waitUntil(async () => (await textOf(b, await $t(b, "status-badge"))).trim() === "Live · v1", {
      timeout: 20000,
      timeoutMsg: "the journey did not go live",
    });

    // The start tile: everyone entered; its contacts export to a CSV with the 20 of them.
    await selectById(b, "start");
    await (await $t(b, "tile-insight")).waitForDisplayed({ timeout: 10000 });
    await rowCount(b, "entered", (n) => n === 20, "the start tile's insight says 20 entered");
    const all = path.join(work, "start.csv");
    const started = await exportTo(b, "insight-export", all);
    check(started.header === CSV_HEADER, `the CSV starts with its header: "${started.header}"`);
    const ids = started.rows.map((r) => r[0]).sort();
    check(
      ids.length === 20 && ids[0] === "c01" && ids[19] === "c20",
      `the CSV holds the 20 contacts that entered (${ids.length}: ${ids[0]}…${ids[ids.length - 1]})`,
    );
    check(started.text.startsWith("Exported 20 contacts to"), `the export says what it wrote: "${started.text}"`);
    await shot(b, "insight-01-start-1280x800");

    // The first call: results and block reasons in words (what happens depends on the hour:
    // quiet time holds the calls at night).
    await selectById(b, "call-renewal");
    await rowCount(b, "entered", (n) => n === 20, "the call's insight says 20 entered");
    const blockedWords = await b.execute(() => Array.from(document.querySelectorAll('[data-insight^="blocked:"] .insight-label')).map((e) => e.textContent));
    check(blockedWords.includes("no phone number"), `block reasons in words: ${blockedWords.join(", ")}`);
    await shot(b, "insight-01b-call-1280x800");

    // The call's result wait: c20 has no phone, so its call is blocked and it takes "Blocked".
    await selectById(b, "wait-call");
    const blocked = await rowCount(b, "branch:blocked", (n) => n >= 1, "the wait's insight counts contacts on the Blocked branch");
    const labels = await b.execute(() => Array.from(document.querySelectorAll('[data-insight-section="branches"] .insight-label')).map((e) => e.textContent));
    check(labels.join("|") === "Attempted|Not attempted|Blocked|Other", `each branch by its name: ${labels.join(", ")}`);
    const branchFile = path.join(work, "blocked.csv");
    const took = await exportTo(b, "insight-export-branch:blocked", branchFile);
    const now = await rowCount(b, "branch:blocked", () => true, "the Blocked count when exported");
    check(
      took.rows.length >= blocked && took.rows.length <= now && took.rows.every((r) => r[6] === "blocked" && r[7] === "Blocked"),
      `the Blocked branch's CSV holds the contacts its row counts (${took.rows.length} rows, ${now} counted)`,
    );
    check(
      took.rows.some((r) => r[0] === "c20"),
      "c20 (no phone) is among them",
    );
    await shot(b, "insight-02-branch-1280x800");
    await b.setWindowSize(960, 600);
    await shot(b, "insight-03-branch-960x600");
    await b.setWindowSize(1280, 800);

    // A failed export says why: a folder that does not exist.
    await b.execute((f) => (window.__switchboardPicks = { save: [f] }), path.join(work, "missing", "x.csv"));
    await (await $t(b, "insight-export")).click();
    await b.waitUntil(async () => (await textOf(b, await $t(b, "insight-export-result"))).startsWith("The contacts could not be exported"), {
      timeout: 10000,
      timeoutMsg: "a failed export said nothing",
    });
    check(true, "a failed export says the contacts could not be exported, and why");

    // v1 opened read-only: a click on a tile there shows its insight beside the canvas.
    await (await $t(b, "versions-open")).click();
    await (await $t(b, "versions-panel")).waitForDisplayed({ timeout: 5000 });
    await (await $t(b, "version-1-view")).click();
    await (await $t(b, "version-viewer")).waitForDisplayed({ timeout: 10000 });
    await (await $t(b, "versions-close")).click();
    const viewerHead = await b.$('[data-testid="version-viewer"] .react-flow__node[data-id="start"] .tile-head');
    await viewerHead.waitForExist({ timeout: 10000 });
    await b.execute((el) => el.dispatchEvent(new MouseEvent("click", { bubbles: true })), viewerHead);
    await (await $t(b, "version-insight")).waitForDisplayed({ timeout: 5000 });
    await rowCount(b, "entered", (n) => n === 20, "v1 opened read-only shows the start tile's insight");
    await shot(b, "insight-04-read-only-1280x800");
    // The draft's "How did the call go?" is still selected behind the version: editing keys
    // must not reach it.
    check(!(await (await $t(b, "inspector")).isExisting()), "the draft's inspector is out of reach while v1 is shown");
    await b.keys(["Delete"]);
    await b.keys(["Control", "a"]);
    await b.keys(["Delete"]);
    await b.keys(["Control", "z"]);
    check(!(await (await $t(b, "undo")).isEnabled()), "Undo is disabled while a version is shown");
    await (await $t(b, "version-viewer-back")).click();
    await tileNode(b, "start");
    const kept = await b.execute(() => document.querySelectorAll(".react-flow__node").length);
    check(
      (await (await b.$('.react-flow__node[data-id="wait-call"]')).isExisting()) && kept === 14,
      `Delete, Select all and Undo pressed on v1 left the draft as it was (${kept} tiles)`,
    );

    await chooseAppearance(b, "dark");
    await selectById(b, "wait-call");
    await rowCount(b, "branch:blocked", (n) => n >= 1, "in dark mode the insight shows too");
    await shot(b, "insight-05-branch-1280x800-dark");
    await b.setWindowSize(960, 600);
    await shot(b, "insight-06-branch-960x600-dark");
    await b.setWindowSize(1280, 800);
  } catch (e) {
    await shot(b, "failure-insight").catch(() => {});
    throw e;
  } finally {
    await b.deleteSession();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
