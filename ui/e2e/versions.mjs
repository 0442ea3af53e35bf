// Versions (issue 12, items 1 and 2) on the real app: import the sample's 20 contacts, publish
// v1 starting in the future ("Scheduled · starts …"), move the start to now and publish again →
// the header says 20 contacts are still on v1; the versions panel shows v1 completing with 20
// in flight; v1 opens read-only with its counts; stopping v1 asks with the runtime's number
// and leaves 0 in flight. Screenshots at 1280×800 and 960×600.
import path from "node:path";
import { $t, check, here, selectTile, shot, textOf, tileNode, waitSaved } from "./lib.mjs";

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

async function waitText(b, id, ok, what) {
  let last = "";
  await b.waitUntil(
    async () => {
      const el = await $t(b, id);
      last = (await el.isExisting()) ? (await textOf(b, el)).trim() : "";
      return ok(last);
    },
    { timeout: 20000, timeoutMsg: `${what}: "${last}"` },
  );
  check(ok(last), `${what}: "${last}"`);
  return last;
}

export async function versionsPanel(b) {
  console.log("Versions: scheduled, contacts still on v1, the panel, read-only, stop v1");
  await (await $t(b, "open-sample")).click();
  await tileNode(b, "start");
  await selectTile(b, "start");
  await setInput(b, 'input[data-path="start.startAt"]', "2099-12-07T09:00");
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
  await waitText(
    b,
    "status-badge",
    (t) => t === "Scheduled · starts Mon 7 Dec 09:00 CST",
    "a journey starting later says Scheduled with its start on its clock",
  );
  await shot(b, "versions-01-scheduled");

  await setInput(b, 'input[data-path="start.startAt"]', "2026-01-01T00:00");
  await waitSaved(b);
  await waitText(b, "status-badge", (t) => t.endsWith(" · unpublished changes"), "an edited draft says it has unpublished changes");
  await publish.click();
  // Over a scheduled (live) version the publish review comes first; one click publishes.
  const review = await $t(b, "publish-review");
  await review.waitForDisplayed({ timeout: 20000 });
  await (await $t(b, "review-publish")).click();
  await waitText(b, "status-badge", (t) => t === "Live · v2", "publishing again goes live as v2");
  await waitText(b, "older-in-flight", (t) => t === "20 contacts still on v1", "the header says 20 contacts are still on v1");

  await (await $t(b, "versions-open")).click();
  await (await $t(b, "versions-panel")).waitForDisplayed({ timeout: 5000 });
  await waitText(b, "version-1-state", (t) => t === "Completing", "v1 is completing");
  await waitText(b, "version-1-counts", (t) => t.startsWith("20 in flight"), "v1 has 20 contacts in flight");
  await shot(b, "versions-02-panel-1280x800");
  await b.setWindowSize(960, 600);
  await shot(b, "versions-03-panel-960x600");
  await b.setWindowSize(1280, 800);

  await (await $t(b, "version-1-view")).click();
  await waitText(b, "version-viewer-bar", (t) => t.startsWith("Viewing v1 (read-only)"), "v1 opens read-only");
  await shot(b, "versions-04-read-only");
  await (await $t(b, "version-viewer-back")).click();
  await (await $t(b, "version-viewer")).waitForExist({ reverse: true, timeout: 5000 });

  await (await $t(b, "version-1-stop")).click();
  await waitText(b, "version-stop-question", (t) => t === "Stop v1? Its 20 waiting contacts leave the journey.", "stopping v1 asks with the runtime's count");
  await shot(b, "versions-05-stop-question");
  await (await $t(b, "version-stop-confirm")).click();
  await waitText(b, "version-1-counts", (t) => t.startsWith("0 in flight"), "after the stop v1 has 0 in flight");
  await waitText(b, "version-1-state", (t) => t === "Stopped", "v1 is stopped");
  check(!(await (await $t(b, "older-in-flight")).isExisting()), "the header no longer mentions v1's contacts");
  await shot(b, "versions-06-stopped");
  await (await $t(b, "versions-close")).click();
  await (await $t(b, "back")).click();
}
