// The API contract as the designer sees it: the Contacts… dialog lists the rows the runtime
// cannot use (bad phone numbers, unknown zones), with row and column.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, shot, textOf, tileNode } from "./lib.mjs";

/** From the journey list, open "Renewal calls" and import a contacts file with bad rows; the dialog lists each one. */
export async function importWarnings(b) {
  console.log("Contacts… lists the rows the runtime cannot use");
  const dir = mkdtempSync(path.join(tmpdir(), "switchboard-contract-"));
  const file = path.join(dir, "bad-contacts.csv");
  writeFileSync(file, "id,mobilePhone,timeZone\nw1,+13125550170,America/Chicago\nw2,not-a-phone,America/Chicago\nw3,+1312555,Mars/Olympus\n");
  try {
    const contacts = await $t(b, "contacts");
    const fromList = !(await contacts.isExisting());
    if (fromList) {
      const row = await b.$(".journey-link=Renewal calls");
      await row.waitForDisplayed({ timeout: 5000 });
      await row.click();
      await tileNode(b, "start");
    }
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
    const list = await $t(b, "import-warnings");
    await list.waitForDisplayed({ timeout: 10000, timeoutMsg: "no warnings were shown" });
    const rows = [];
    for (const el of await b.$$('[data-testid="import-warning"]')) rows.push(await textOf(b, el));
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
