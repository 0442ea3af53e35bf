// End-to-end scenarios of a live journey on the real app: publish, import contacts with consent and
// watch the counts; pause, resume and stop; the test run (200 contacts, a cancelled long run, a
// file audience).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, checkSoon, clickEmptyCanvas, here, problemsText, selectTile, shot, textOf, tileNode, waitSaved } from "./lib.mjs";
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

export async function publishAndWatch(b) {
  console.log("Publish, import contacts with consent, watch the counts");
  const row = await b.$(".journey-link=Renewal calls");
  await row.waitForDisplayed({ timeout: 5000 });
  await row.click();
  await tileNode(b, "start");
  check((await (await $t(b, "status-badge")).getText()) === "Draft", "an unpublished journey says Draft");

  // Contacts enter from a segment, starting now.
  await selectTile(b, "start");
  await (await (await b.$('[data-path="start"]')).$("button=Segment")).click();
  const segments = await b.$('input[data-path="start.segmentIds"]');
  await segments.waitForDisplayed({ timeout: 3000 });
  await segments.setValue("seg-renewals-due");
  await setInput(b, 'input[data-path="start.startAt"]', "2026-01-01T00:00");
  const publish = await $t(b, "publish");
  // The built-in runtime has no such segment yet: validation says so, before any publish.
  await b.waitUntil(async () => (await problemsText(b)).includes('"seg-renewals-due", which does not exist'), {
    timeout: 5000,
    timeoutMsg: `no unknown-segment problem: ${await problemsText(b)}`,
  });
  check(!(await publish.isEnabled()), "an unknown segment is an error that holds Publish back");
  await waitSaved(b);

  // Contacts and consent go into the built-in runtime, listed in the start segment.
  await (await $t(b, "contacts")).click();
  const dialog = await $t(b, "contacts-dialog");
  await dialog.waitForDisplayed({ timeout: 3000 });
  check((await (await b.$("#contacts-segment")).getValue()) === "seg-renewals-due", "the import offers the journey's segment");
  // The native picker fills the path (WebDriver cannot click a native dialog: the path is queued).
  const contactsFile = path.resolve(here, "../../runtime/samples/contacts.csv");
  await b.execute((f) => (window.__switchboardPicks = { open: [f] }), contactsFile);
  await (await $t(b, "contacts-choose")).click();
  await b.waitUntil(async () => (await (await b.$("#contacts-path")).getValue()) === contactsFile, { timeout: 3000 });
  await (await b.$("#consents-path")).setValue(path.resolve(here, "../../runtime/samples/consents.csv"));
  await (await $t(b, "contacts-import")).click();
  const result = await $t(b, "import-result");
  await result.waitForDisplayed({ timeout: 10000 });
  const imported = await result.getText();
  await shot(b, "09-contacts-imported");
  check(imported.includes("Imported 20 contacts and 29 consent records"), `the import says what came in: "${imported}"`);
  await (await $t(b, "contacts-close")).click();
  await checkSoon(b, async () => publish.isEnabled(), "once the import made the segment, the problem is gone", {
    detail: async () => `errors remain: ${await problemsText(b)}`,
  });

  // One click: validate → upload → Live · v1.
  await publish.click();
  const badge = await $t(b, "status-badge");
  await checkSoon(b, async () => (await badge.getText()) === "Live · v1", "Publish puts the journey live as v1", {
    timeout: 15000,
    detail: async () => `not live: ${await (await b.$(".publish")).getText()}`,
  });

  // Counts flow onto the tiles.
  const voice = await tileNode(b, "voiceConversation");
  await b.waitUntil(
    async () => {
      const entered = await voice.$('[data-testid="overlay-entered"]');
      return (await entered.isExisting()) && (await entered.getText()) === "20";
    },
    { timeout: 20000, timeoutMsg: "the voice tile never showed 20 entered" },
  );
  await checkSoon(
    b,
    async () => (await voice.$$('[data-overlay^="blocked:"]')).length > 0,
    "the voice tile shows 20 entered and who was blocked for lack of consent",
    { timeout: 10000, detail: async () => "no blocked counts on the voice tile" },
  );
  const startCount = await (await tileNode(b, "start")).$('[data-testid="overlay-entered"]');
  check((await startCount.getText()) === "20", "the start tile shows 20 entered");
  check((await b.$$(".react-flow__edge.edge-counted")).length > 0, "edges carry how many went along them");
  await clickEmptyCanvas(b);
  await b.execute(() => document.querySelector(".react-flow__controls-fitview")?.click());
  await b.pause(600);
  await shot(b, "10-live-counts");
  await testRun(b, voice);

  // The same content again is the same version (read as textContent: WebKitWebDriver's
  // getText sees nothing in the ellipsised note).
  await (await $t(b, "publish")).click();
  await b.waitUntil(
    async () => (await b.execute(() => document.querySelector('[data-testid="publish-result"]')?.textContent ?? "")).includes("Already live as v1"),
    { timeout: 10000, timeoutMsg: "publishing the same content again did not say it is v1 already" },
  );
  check((await badge.getText()) === "Live · v1", "publishing the same content again returns v1");
  await pauseResumeStop(b, badge);
  await (await $t(b, "back")).click();
  const listBadge = await (await b.$('[data-testid="journey-row"]')).$('[data-testid="status-badge"]');
  await listBadge.waitForDisplayed({ timeout: 5000 });
  check((await listBadge.getText()) === "Live · v2", "the journey list says Live · v2");
  await shot(b, "11-list-live");
}

/** Pause, resume, then stop v1 (confirmed), and publish the same content again as v2. */
async function pauseResumeStop(b, badge) {
  console.log("Pause, resume and stop the live version");
  const badgeSays = async (text, what) => {
    await checkSoon(b, async () => (await badge.getText()) === text, what, { timeout: 10000, detail: async () => `the badge says ${await badge.getText()}` });
  };
  await (await $t(b, "live-pause")).click();
  await badgeSays("Paused · v1", "Pause puts v1 on pause");
  await (await $t(b, "live-resume")).click();
  await badgeSays("Live · v1", "Resume puts v1 live again");
  await (await $t(b, "live-stop")).click();
  const dialog = await $t(b, "stop-dialog");
  await dialog.waitForDisplayed({ timeout: 3000 });
  await shot(b, "10c-stop-dialog");
  await (await $t(b, "stop-cancel")).click();
  await dialog.waitForDisplayed({ reverse: true, timeout: 3000 });
  check((await badge.getText()) === "Live · v1", "keeping it running leaves v1 live");
  await (await $t(b, "live-stop")).click();
  await (await $t(b, "stop-confirm")).click();
  await badgeSays("Stopped · v1", "confirming Stop stops v1");
  check(
    (await b.$$('[data-testid="live-pause"], [data-testid="live-resume"], [data-testid="live-stop"]')).length === 0,
    "a stopped version offers no pause or stop",
  );
  await (await $t(b, "publish")).click();
  await badgeSays("Live · v2", "publishing the stopped content again goes live as v2");
}

/** A 200-contact test run on the live journey: its counts take the overlay until cleared. */
async function testRun(b, voice) {
  console.log("Test run 200 contacts");
  await (await $t(b, "test-run")).click();
  const dialog = await $t(b, "test-run-dialog");
  await dialog.waitForDisplayed({ timeout: 3000 });
  await setInput(b, '[data-testid="tr-count"]', "200");
  await shot(b, "10a-test-run-dialog");
  await (await $t(b, "test-run-start")).click();
  const panel = await $t(b, "test-run-panel");
  await panel.waitForDisplayed({
    timeout: 30000,
    timeoutMsg: `no results: ${await b.execute(() => document.querySelector('[data-testid="test-run-error"]')?.textContent ?? "")}`,
  });
  const entered = await voice.$('[data-testid="overlay-entered"]');
  await checkSoon(b, async () => (await entered.getText()) === "200", "the test run puts 200 entered on the voice tile, over the live counts", {
    detail: async () => `voice tile shows ${await entered.getText()}, not 200`,
  });
  check((await b.$$('[data-testid="hour-chart"] .hour-bar')).length === 24, "the chart has a bar for each local hour");
  check((await b.$$('[data-testid="forecast"]')).length > 0, "the panel forecasts each voice tile");
  // Every contact's path is explained: open the first one found.
  await openFirstTrace(b);
  const steps = await $t(b, "trace-steps");
  await steps.waitForDisplayed({ timeout: 3000 });
  const path = await textOf(b, steps);
  check(path.length > 0 && (await steps.$$("li")).length > 1, `a traced contact shows its explained path: "${path.slice(0, 120)}"`);
  await b.execute(() => document.querySelector(".react-flow__controls-fitview")?.click());
  await b.execute(() => {
    const panel = document.querySelector('[data-testid="test-run-panel"]');
    if (panel) panel.scrollTop = 0;
  });
  await b.pause(600);
  await shot(b, "10b-test-run");
  await cancelLongRun(b, entered);
  await fileAudienceRun(b, voice);
  await (await $t(b, "test-run-clear")).click();
  await checkSoon(b, async () => (await entered.getText()) === "20", "clearing the test run brings the live counts back", {
    timeout: 10000,
    detail: async () => "clearing the test run did not bring the live counts back",
  });
}

/** Text with digit-group separators taken out of numbers ("1,000,000" → "1000000"). */
function ungrouped(text) {
  return text
    .replace(/(\d)[,.\u00a0\u202f ](?=\d{3}\b)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** Open the first trace in the results panel, brought into view first (it sits at the panel's foot). */
async function openFirstTrace(b) {
  await b.execute(() => document.querySelector(".tr-trace-head")?.scrollIntoView({ block: "center" }));
  await (await b.$(".tr-trace-head")).click();
  await b.execute(() => document.querySelector('[data-testid="trace-steps"]')?.scrollIntoView({ block: "center" }));
}

/** The test-run dialog, opened from the toolbar (it starts from the shown run's settings). */
async function openTestRun(b) {
  await (await $t(b, "test-run")).click();
  const dialog = await $t(b, "test-run-dialog");
  await dialog.waitForDisplayed({ timeout: 3000 });
  return dialog;
}

/** A million made-up contacts take minutes in a debug build: Cancel must stop the run at once. */
async function cancelLongRun(b, entered) {
  console.log("Cancel a long test run");
  await openTestRun(b);
  await (await $t(b, "tr-audience-generated")).click();
  await setInput(b, '[data-testid="tr-count"]', "1000000");
  await (await $t(b, "test-run-start")).click();
  const progressText = await $t(b, "test-run-progress-text");
  await progressText.waitForDisplayed({ timeout: 10000 });
  // Numbers are grouped the way the app's locale does it (or not at all): compare digits.
  await checkSoon(
    b,
    async () => /^[1-9]\d* of 1000000 contacts$/.test(ungrouped(await textOf(b, progressText))),
    `the long run shows its progress (${(await textOf(b, progressText)).trim()})`,
    { timeout: 60000, detail: async () => `the run showed no progress: ${await textOf(b, progressText)}` },
  );
  await shot(b, "10c-test-run-progress");
  const clicked = Date.now();
  await (await $t(b, "test-run-cancel")).click();
  const note = await $t(b, "test-run-cancelled");
  await note.waitForDisplayed({
    timeout: 10000,
    timeoutMsg: `no cancelled note: ${await b.execute(() => document.querySelector('[data-testid="test-run-error"]')?.textContent ?? "")}`,
  });
  const said = (await textOf(b, note)).replace(/\s+/g, " ").trim();
  check(/^Run cancelled after \d+ of 1000000 contacts\. Nothing was kept/.test(ungrouped(said)), `the dialog says the run was cancelled: "${said}"`);
  check(Date.now() - clicked < 10000, `the run stopped ${Date.now() - clicked} ms after Cancel`);
  check(!(await (await $t(b, "test-run-progress")).isExisting()), "the progress bar is gone");
  const start = await $t(b, "test-run-start");
  check((await start.isEnabled()) && ungrouped(await start.getText()) === "Run 1000000 contacts", "Run is offered again");
  // Nothing was kept: the earlier 200-contact run is still the draft's, and still on the canvas.
  const kept = await b.execute(async () => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const journeys = await invoke("list_journeys");
    const run = await invoke("latest_test_run", { journeyId: journeys.find((j) => j.name === "Renewal calls").id });
    return run?.result.contacts ?? null;
  });
  check(kept === 200, `the kept test run is still the 200-contact one (${kept})`);
  check((await entered.getText()) === "200", "the canvas still shows the earlier run");
  await shot(b, "10d-test-run-cancelled");
  await (await $t(b, "test-run-close")).click();
}

/** `iso` as a `datetime-local` value on a clock in `zone`. */
function zonedInput(iso, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const p = (t) => parts.find((x) => x.type === t).value;
  return `${p("year")}-${p("month")}-${p("day")}T${p("hour")}:${p("minute")}`;
}

/** Three contacts from a CSV with their consent: one called, one held till 08:00 in its own zone, one without a phone. */
async function fileAudienceRun(b, voice) {
  console.log("Test run contacts from a file");
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-e2e-files-"));
  const contacts = path.join(dir, "e2e-contacts.csv");
  const consents = path.join(dir, "e2e-consents.csv");
  const broken = path.join(dir, "broken.csv");
  writeFileSync(
    contacts,
    "id,mobilePhone,timeZone,country,stateOrProvince,firstName\n" +
      "e2e-ny,+13125552000,America/New_York,US,NY,Ana\n" +
      "e2e-la,+13125552001,America/Los_Angeles,US,CA,Ben\n" +
      "e2e-nophone,,America/Chicago,US,IL,Cy\n",
  );
  const optIn = (n, scope, id) => `${n},voice,${scope},${id},optedIn,2026-10-01T09:00:00Z,e2e`;
  writeFileSync(
    consents,
    [
      "contactPoint,channel,scope,scopeId,status,updatedAt,source",
      ...["+13125552000", "+13125552001"].flatMap((n) => [optIn(n, "purpose", "pur-promotions"), optIn(n, "topic", "top-renewal-offers")]),
    ].join("\n") + "\n",
  );
  writeFileSync(broken, "id,mobilePhone\nok,+13125552000\n,+13125552001\n");
  try {
    await openTestRun(b);
    await (await $t(b, "tr-audience-file")).click();
    const contactsInput = await $t(b, "tr-contacts-file");
    await contactsInput.waitForExist({ timeout: 3000 });
    check((await (await $t(b, "test-run-problem")).getText()) === "Choose a contacts file.", "a file audience asks for a file first");
    // The native dialog cannot be driven: the path each Choose… gets is queued (ui/src/ipc/dialogs.ts).
    const choose = async (testId, file) => {
      await b.execute((f) => {
        window.__switchboardPicks = { open: [f] };
      }, file);
      await (await $t(b, testId)).click();
    };
    await choose("tr-contacts-file", broken);
    const error = await $t(b, "tr-file-error");
    await error.waitForDisplayed({ timeout: 5000, timeoutMsg: "a bad contacts file gave no error" });
    const errorText = await textOf(b, error);
    check(
      errorText === "broken.csv is not a contacts file: line 3, column id: empty; every contact needs an id",
      `a bad row is named by line and column: "${errorText}"`,
    );
    await choose("tr-contacts-file", contacts);
    await choose("tr-consents-file", consents);
    // Looked up afresh each time: the summary is redrawn as each file is read.
    const summaryText = () => b.execute(() => document.querySelector('[data-testid="tr-file-summary"]')?.textContent ?? "");
    await b.waitUntil(async () => (await summaryText()).includes("4 consent records"), {
      timeout: 5000,
      timeoutMsg: "the consent file was not read",
    });
    const read = await summaryText();
    check(read.includes("3 contacts and 4 consent records read from e2e-contacts.csv and e2e-consents.csv"), `the dialog says what was read: "${read}"`);
    check(read.includes("1 contact has no phone number"), "the dialog warns about the contact without a phone");
    // The engagement's own codes and variables are offered, not a fixed list.
    const codes = await textOf(b, await $t(b, "tr-codes-eng-renewals-voice"));
    check(codes.includes("Renewed") && codes.includes("NotRightParty"), "disposition codes come from the engagement");
    check(await (await $t(b, "tr-variable-eng-renewals-voice-RenewalQuote")).isExisting(), "its number variable RenewalQuote can be given values");
    // 15:00 UTC on a Tuesday in November: 10:00 in New York (called), 07:00 in Los Angeles (held till 08:00 there).
    const label = await textOf(b, await b.$('label[for="tr-start"]'));
    const zone = /journey time, ([^)]+)\)/.exec(label)?.[1];
    check(Boolean(zone), `the start says which zone it is in: "${label}"`);
    await setInput(b, "#tr-start", zonedInput("2026-11-24T15:00:00Z", zone));
    const startHint = await textOf(b, await $t(b, "tr-start-zone"));
    check(startHint.includes(`journey time (${zone})`), `the start instant is shown with its zone: "${startHint}"`);
    await shot(b, "10e-test-run-file-dialog");
    await b.execute(() => {
      const dialog = document.querySelector('[data-testid="test-run-dialog"]');
      const codes = document.querySelector('[data-testid="tr-codes-eng-renewals-voice"]');
      if (dialog && codes) dialog.scrollTop += codes.getBoundingClientRect().top - dialog.getBoundingClientRect().top - 40;
    });
    await b.pause(300);
    await shot(b, "10e2-test-run-mixes");
    await b.execute(() => {
      const dialog = document.querySelector('[data-testid="test-run-dialog"]');
      if (dialog) dialog.scrollTop = 0;
    });
    const start = await $t(b, "test-run-start");
    check((await start.getText()) === "Run 3 contacts", "the run button counts the file's contacts");
    await start.click();
    await checkSoon(b, async () => (await (await voice.$('[data-testid="overlay-entered"]')).getText()) === "3", "the file's 3 contacts go through the draft", {
      timeout: 30000,
      detail: async () => `no file run: ${await b.execute(() => document.querySelector('[data-testid="test-run-error"]')?.textContent ?? "")}`,
    });
    const panel = await $t(b, "test-run-panel");
    check((await textOf(b, panel)).includes("3 contacts from e2e-contacts.csv and e2e-consents.csv"), "the results say where the contacts came from");
    const held = await textOf(b, await $t(b, "held-until"));
    check(/Tue, Nov 24, 08:00 PST.*Los Angeles/.test(held), `the hold reads in the contact's own time: "${held}"`);
    const search = await $t(b, "trace-search");
    await search.setValue("e2e-la");
    await b.waitUntil(async () => (await b.$$(".tr-trace-head")).length === 1, { timeout: 3000, timeoutMsg: "the search did not narrow to e2e-la" });
    await openFirstTrace(b);
    const traceZone = await textOf(b, await $t(b, "trace-zone"));
    check(traceZone.includes("America/Los_Angeles"), `the trace says its times are the contact's: "${traceZone}"`);
    const steps = await textOf(b, await $t(b, "trace-steps"));
    check(steps.includes("Tue, Nov 24, 07:00 PST") && steps.includes("08:00 PST"), `the trace reads in Pacific time: "${steps.slice(0, 200)}"`);
    await shot(b, "10f-test-run-file");
    // Run again keeps the file's contacts.
    await openTestRun(b);
    const again = await textOf(b, await $t(b, "tr-file-summary"));
    check(
      again.includes("3 contacts and 4 consent records from e2e-contacts.csv and e2e-consents.csv (as in the earlier run)"),
      `Run again keeps the file's contacts: "${again}"`,
    );
    await (await $t(b, "test-run-close")).click();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
