// The API contract as the designer sees it: the Contacts… dialog and the test run's file
// audience list the rows the runtime cannot use (bad phone numbers, unknown zones, consent for
// numbers no contact has), with row and column.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, shot, textOf, tileNode } from "./lib.mjs";

const BAD_CONTACTS = "id,mobilePhone,timeZone\nw1,+13125550170,America/Chicago\nw2,not-a-phone,America/Chicago\nw3,+1312555,Mars/Olympus\n";

/** Open "Renewal calls" from the list unless an editor is open; says whether it did. */
async function openRenewals(b) {
  const fromList = !(await (await $t(b, "contacts")).isExisting());
  if (fromList) {
    const row = await b.$(".journey-link=Renewal calls");
    await row.waitForDisplayed({ timeout: 5000 });
    await row.click();
    await tileNode(b, "start");
  }
  return fromList;
}

/** The warning rows shown inside `scope` (a dialog's test id). */
async function warningRows(b, scope) {
  const list = await b.$(`[data-testid="${scope}"] [data-testid="import-warnings"]`);
  await list.waitForDisplayed({ timeout: 10000, timeoutMsg: `no warnings were shown in ${scope}` });
  const rows = [];
  for (const el of await list.$$('[data-testid="import-warning"]')) rows.push(await textOf(b, el));
  return rows;
}

/** From the journey list, open "Renewal calls" and import a contacts file with bad rows; the dialog lists each one. */
export async function importWarnings(b) {
  console.log("Contacts… lists the rows the runtime cannot use");
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-contract-"));
  const file = path.join(dir, "bad-contacts.csv");
  writeFileSync(file, BAD_CONTACTS);
  try {
    const fromList = await openRenewals(b);
    await (await $t(b, "contacts")).click();
    const dialog = await $t(b, "contacts-dialog");
    await dialog.waitForDisplayed({ timeout: 3000 });
    await (await b.$("#contacts-path")).setValue(file);
    // Not into the journey's segment: these contacts are only here to be reported.
    const segment = await b.$("#contacts-segment");
    await segment.click();
    await b.keys(["Control", "a"]);
    await b.keys("Backspace");
    check((await segment.getValue()) === "", "the segment field is emptied");
    await (await $t(b, "contacts-import")).click();
    const rows = await warningRows(b, "contacts-dialog");
    await shot(b, "contract-import-warnings");
    check(rows.length === 3, `three unusable values are listed: ${JSON.stringify(rows)}`);
    check(rows[0]?.startsWith("Row 3 (w2), mobilePhone: not-a-phone"), `the bad number is named by row and column: "${rows[0]}"`);
    check(rows[1]?.startsWith("Row 4 (w3), mobilePhone: +1312555"), `the short number too: "${rows[1]}"`);
    check(rows[2]?.startsWith("Row 4 (w3), timeZone: Mars/Olympus"), `and the unknown zone: "${rows[2]}"`);
    const said = await (await $t(b, "import-result")).getText();
    check(said.includes("Imported 3 contacts"), `the import still says what came in: "${said}"`);
    await (await $t(b, "contacts-close")).click();
    if (fromList) await (await $t(b, "back")).click();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The test run's "Contacts from a file", picked through the native dialog (queued paths), lists
 * the same rows as Contacts… does, and a consent record for a number no contact has.
 */
export async function testRunWarnings(b) {
  console.log("The test run's file audience lists the rows the runtime cannot use");
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-contract-"));
  const contacts = path.join(dir, "bad-contacts.csv");
  const consents = path.join(dir, "opt-ins.csv");
  writeFileSync(contacts, BAD_CONTACTS);
  writeFileSync(
    consents,
    "contactPoint,channel,scope,scopeId,status,updatedAt\n+13125550170,voice,purpose,purpose-renewals,optedIn,2026-01-01T00:00:00Z\n+13125550199,voice,purpose,purpose-renewals,optedIn,2026-01-01T00:00:00Z\n",
  );
  const pick = (file) =>
    b.execute((f) => {
      window.__switchboardPicks = { open: [f] };
    }, file);
  try {
    const fromList = await openRenewals(b);
    await (await $t(b, "test-run")).waitForClickable({ timeout: 10000 });
    await (await $t(b, "test-run")).click();
    await (await $t(b, "test-run-dialog")).waitForDisplayed({ timeout: 10000 });
    await (await $t(b, "tr-audience-file")).click();
    await pick(contacts);
    await (await $t(b, "tr-contacts-file")).click();
    await pick(consents);
    await (await $t(b, "tr-consents-file")).click();
    // The summary is drawn again when each file has been read: look it up afresh each time
    // (a reference kept from before the second read goes stale and reads as "").
    const summaryText = async () => {
      try {
        return await textOf(b, await $t(b, "tr-file-summary"));
      } catch {
        return "";
      }
    };
    let seen = "";
    await b
      .waitUntil(async () => (seen = await summaryText()).includes("bad-contacts.csv and opt-ins.csv"), {
        timeout: 10000,
        timeoutMsg: "the picked files were not read",
      })
      .catch(() => {
        throw new Error(`the picked files were not read: "${seen}"`);
      });
    const rows = await warningRows(b, "test-run-dialog");
    await (await b.$('[data-testid="test-run-dialog"] [data-testid="import-warnings"]')).scrollIntoView();
    await shot(b, "contract-test-run-warnings");
    check(rows.length === 4, `four unusable values are listed: ${JSON.stringify(rows)}`);
    check(rows[0]?.startsWith("Row 3 (w2), mobilePhone: not-a-phone"), `the bad number is named by row and column: "${rows[0]}"`);
    check(rows[1]?.startsWith("Row 4 (w3), mobilePhone: +1312555"), `the short number too: "${rows[1]}"`);
    check(rows[2]?.startsWith("Row 4 (w3), timeZone: Mars/Olympus"), `and the unknown zone: "${rows[2]}"`);
    check(rows[3]?.startsWith("Row 3, contactPoint: +13125550199 belongs to no contact"), `and the consent for no contact: "${rows[3]}"`);
    const names = await textOf(b, await $t(b, "tr-contacts-file-name"));
    check(names === "bad-contacts.csv", `the picker shows the file's name: "${names}"`);
    await (await $t(b, "test-run-close")).click();
    if (fromList) await (await $t(b, "back")).click();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
