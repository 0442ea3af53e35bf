// Compare, restore and the publish review on the real app (issue 12, items 3–5): a journey goes
// live as v1 with one click; its draft's time limit changes and Compare (v1 → Draft) marks the
// tile and says it in words; Restore v1 then Ctrl+Z brings the draft back; a quiet-time change
// from "Don't apply" to the profile's shows its compliance impact in the publish review (the
// last test run's contacts, entering at 02:00 journey time, so quiet time holds calls), and one
// click publishes v2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, checkSoon, clickEmptyCanvas, here, session, shot, textOf } from "./lib.mjs";

const SAMPLE = path.resolve(here, "../../journeys/samples/renewal-calls.journey.json");

async function queuePick(b, file) {
  await b.execute((f) => (window.__switchboardPicks = { open: [f] }), file);
}

async function setNative(b, selector, value) {
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

const tile = (b, id) => b.$(`[data-tile-id="${id}"]`);

async function selectById(b, id) {
  const node = await tile(b, id);
  await node.waitForDisplayed({ timeout: 5000 });
  await (await node.$(".tile-head")).click();
  await (await $t(b, "inspector")).waitForDisplayed({ timeout: 3000 });
}

async function saved(b) {
  await b.waitUntil(async () => (await (await $t(b, "save-state")).getText()).includes("Saved"), { timeout: 8000, timeoutMsg: "autosave did not finish" });
}

async function timeLimit(b) {
  await selectById(b, "wait-call");
  return (await b.$('input[data-path="timeLimit"]')).getValue();
}

async function setTimeLimit(b, days) {
  await selectById(b, "wait-call");
  await setNative(b, 'input[data-path="timeLimit"]', String(days));
  await b.waitUntil(async () => (await textOf(b, await tile(b, "wait-call"))).includes(`${days} days`), { timeout: 3000 });
}

/** The whole flow, in its own data dir. */
export async function compareRestoreReview() {
  console.log("Compare, restore and the publish review");
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-review-"));
  const work = mkdtempSync(path.join(tmpdir(), "switchboard-review-in-"));
  // The sample, admitting joiners (so an edit makes a new version) and with its first call's
  // quiet time off.
  const doc = JSON.parse(readFileSync(SAMPLE, "utf8"));
  doc.id = "review-e2e";
  doc.name = "Review renewals";
  for (const t of doc.tiles) {
    if (t.type === "start") t.start.frequency = { kind: "onceAdmittingJoiners" };
    if (t.id === "call-renewal") t.quietTime = { mode: "none" };
  }
  const file = path.join(work, "review.journey.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const b = await session(["--data-dir", dataDir]);
  try {
    await b.setWindowSize(1280, 800);
    await (await $t(b, "import-journey")).waitForClickable({ timeout: 15000 });
    await queuePick(b, file);
    await (await $t(b, "import-journey")).click();
    await (await $t(b, "file-outcome-open")).waitForClickable({ timeout: 10000 });
    await (await $t(b, "file-outcome-open")).click();
    await (await tile(b, "call-renewal")).waitForDisplayed({ timeout: 10000 });

    // The segment comes with the sample contacts.
    await (await $t(b, "contacts")).click();
    await (await $t(b, "contacts-dialog")).waitForDisplayed({ timeout: 3000 });
    const contactsFile = path.resolve(here, "../../runtime/samples/contacts.csv");
    await queuePick(b, contactsFile);
    await (await $t(b, "contacts-choose")).click();
    await b.waitUntil(async () => (await (await b.$("#contacts-path")).getValue()) === contactsFile, { timeout: 3000 });
    await (await b.$("#consents-path")).setValue(path.resolve(here, "../../runtime/samples/consents.csv"));
    await (await $t(b, "contacts-import")).click();
    await (await $t(b, "import-result")).waitForDisplayed({ timeout: 10000 });
    await (await $t(b, "contacts-close")).click();

    const publish = await $t(b, "publish");
    await b.waitUntil(async () => publish.isEnabled(), { timeout: 8000, timeoutMsg: "Publish stays disabled" });

    // A test run whose contacts enter at 02:00 journey time: the review forecasts over them.
    await (await $t(b, "test-run")).click();
    await (await $t(b, "test-run-dialog")).waitForDisplayed({ timeout: 5000 });
    await setNative(b, '[data-testid="tr-count"]', "300");
    await setNative(b, "#tr-start", "2026-12-10T02:00");
    await (await $t(b, "test-run-start")).click();
    await (await $t(b, "test-run-panel")).waitForDisplayed({ timeout: 30000 });
    await (await $t(b, "test-run-clear")).click();

    // First publish: one click, no review.
    await publish.click();
    const badge = await $t(b, "status-badge");
    await b.waitUntil(async () => (await badge.getText()) === "Live · v1", { timeout: 15000, timeoutMsg: "not live as v1" });
    check(!(await (await $t(b, "publish-review")).isExisting()), "the first publish is one click, without a review");

    // Compare v1 → Draft after a time-limit change.
    await setTimeLimit(b, 3);
    await saved(b);
    await (await $t(b, "compare")).click();
    await (await $t(b, "compare-dialog")).waitForDisplayed({ timeout: 5000 });
    await b.waitUntil(async () => (await (await $t(b, "compare-old")).getValue()) === "v1", { timeout: 5000, timeoutMsg: "the picker did not offer v1" });
    await shot(b, "review-01-compare-picker");
    await (await $t(b, "compare-run")).click();
    const panel = await $t(b, "compare-panel");
    await panel.waitForDisplayed({ timeout: 10000 });
    const words = await textOf(b, await $t(b, "change-list"));
    check(words.includes("How did the call go?: time limit 7 days → 3 days"), `the change list says it in words: "${words}"`);
    const mark = await (await tile(b, "wait-call")).$('[data-testid="compare-mark"]');
    check((await mark.isExisting()) && (await mark.getAttribute("data-mark")) === "changed", "the changed tile is marked on the canvas");
    check((await b.$$('[data-testid="compare-mark"]')).length === 1, "no other tile is marked");
    await shot(b, "review-02-compare-1280");
    await b.setWindowSize(960, 600);
    await b.pause(400);
    await shot(b, "review-02-compare-960");
    await b.setWindowSize(1280, 800);

    // Restore v1 (one step), then undo.
    await (await $t(b, "compare-restore")).click();
    await b.waitUntil(async () => (await textOf(b, await tile(b, "wait-call"))).includes("7 days"), {
      timeout: 5000,
      timeoutMsg: "restore did not bring v1's 7 days",
    });
    const restored = await textOf(b, await tile(b, "wait-call"));
    check(restored.includes("7 days") && !restored.includes("3 days"), `Restore v1 puts v1's time limit in the draft: "${restored}"`);
    await (await $t(b, "compare-close")).click();
    await clickEmptyCanvas(b);
    await b.keys(["Control", "z"]);
    await b.waitUntil(async () => (await textOf(b, await tile(b, "wait-call"))).includes("3 days"), {
      timeout: 5000,
      timeoutMsg: "Ctrl+Z did not bring the draft back",
    });
    check((await timeLimit(b)) === "3", "Ctrl+Z after the restore brings the draft's 3 days back in one step");

    // Draft → v1: the canvas draws v1 (read-only, marked), and no key edits the hidden draft.
    // The status badge grows to "… · unpublished changes" once the undo is saved, moving the
    // header's buttons: let it settle before clicking.
    await saved(b);
    await b.waitUntil(async () => (await (await $t(b, "status-badge")).getText()).endsWith("unpublished changes"), {
      timeout: 10000,
      timeoutMsg: "the status never said the draft has unpublished changes",
    });
    await (await $t(b, "compare")).click();
    await (await $t(b, "compare-dialog")).waitForDisplayed({ timeout: 5000 });
    await b.waitUntil(async () => (await (await $t(b, "compare-old")).getValue()) === "v1", { timeout: 5000, timeoutMsg: "the picker did not offer v1" });
    await (await $t(b, "compare-old")).selectByAttribute("value", "draft");
    await (await $t(b, "compare-new")).selectByAttribute("value", "v1");
    await (await $t(b, "compare-run")).click();
    await b.waitUntil(async () => (await textOf(b, await $t(b, "compared-viewer-bar"))).startsWith("Showing v1 (read-only), compared with Draft"), {
      timeout: 10000,
      timeoutMsg: "comparing Draft → v1 did not draw v1",
    });
    const shown = await (await $t(b, "compared-viewer")).$('[data-tile-id="wait-call"]');
    await shown.waitForDisplayed({ timeout: 5000 });
    check((await textOf(b, shown)).includes("7 days"), "the canvas shows v1's 7 days, not the draft's 3");
    check((await (await shown.$('[data-testid="compare-mark"]')).getAttribute("data-mark")) === "changed", "…with its tile marked changed");
    check(!(await (await $t(b, "undo")).isEnabled()), "Undo is off while the canvas shows v1");
    await b.keys(["Control", "z"]);
    await b.keys(["Delete"]);
    await shot(b, "review-02b-compare-version");
    await (await $t(b, "compared-viewer-back")).click();
    await (await tile(b, "wait-call")).waitForDisplayed({ timeout: 5000 });
    check((await timeLimit(b)) === "3", "keys pressed while v1 was shown left the draft alone");

    // Quiet time: "Don't apply" → the profile's, then the review.
    await selectById(b, "call-renewal");
    await (await (await b.$('[data-path="quietTime"]')).$("button=Profile's")).click();
    await saved(b);
    await publish.click();
    const review = await $t(b, "publish-review");
    await review.waitForDisplayed({ timeout: 30000, timeoutMsg: `no review: ${await textOf(b, await b.$(".publish"))}` });
    const source = await textOf(b, await $t(b, "impact-source"));
    check(source.includes("the last test run's generated contacts"), `the review says which contacts: "${source}"`);
    const row = await b.$('[data-testid="impact-row"][data-tile="call-renewal"]');
    const held = await textOf(b, await row.$('[data-testid="impact-held"]'));
    const m = /^(\d[\d,]*) → (\d[\d,]*)$/.exec(held.trim());
    check(m !== null && Number(m[1].replace(/,/g, "")) === 0 && Number(m[2].replace(/,/g, "")) > 0, `held by quiet time goes up on the first call: "${held}"`);
    check((await row.getAttribute("class")).includes("impact-row-changed"), "the changed voice tile is marked");
    const inFlight = await textOf(b, await $t(b, "review-in-flight"));
    check(inFlight.includes("stay on v1 until they finish"), `contacts in flight: "${inFlight}"`);
    check((await textOf(b, await $t(b, "change-list"))).includes("Renewal call"), "the review lists the change");
    await shot(b, "review-03-publish-review-1280");
    await b.setWindowSize(960, 600);
    await b.pause(400);
    await shot(b, "review-03-publish-review-960");
    await b.setWindowSize(1280, 800);
    await (await $t(b, "review-publish")).click();
    await checkSoon(b, async () => (await badge.getText()) === "Live · v2", "one click in the review publishes v2", 15000);
  } catch (e) {
    await shot(b, "review-failure").catch(() => {});
    throw e;
  } finally {
    await b.deleteSession();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
