// Journey files on the real app: import a sample journey from the list, export it from the
// editor, compare the file with the sample (same semantic document), import the export again
// from the editor's own Import… (a copy, since the id exists; "Open it" switches to it), and
// refuse a malformed file naming line and column.
// WebDriver cannot click through a native dialog, so the paths are queued on the page's
// `window.__switchboardPicks` (see ui/src/ipc/dialogs.ts); the backend commands do the rest.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { $t, check, checkSoon, here, session, shot, textOf } from "./lib.mjs";

const SAMPLE = path.resolve(here, "../../journeys/samples/renewal-calls.journey.json");

/**
 * The document without its canvas layout, keys sorted and fields left at their defaults (`null`,
 * `[]`) dropped, since the app writes them out while a hand-written file may leave them out:
 * what a journey means.
 */
function semantic(doc) {
  const normal = (v) =>
    Array.isArray(v)
      ? v.map(normal)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .filter((k) => v[k] !== null && !(Array.isArray(v[k]) && v[k].length === 0))
              .map((k) => [k, normal(v[k])]),
          )
        : v;
  return JSON.stringify(normal({ ...doc, layout: null }));
}

async function queuePick(b, which, file) {
  await b.execute(
    (w, f) => {
      window.__switchboardPicks = { ...(window.__switchboardPicks ?? {}), [w]: [f] };
    },
    which,
    file,
  );
}

async function outcome(b) {
  const dialog = await $t(b, "file-outcome");
  await dialog.waitForDisplayed({ timeout: 10000 });
  const ok = await (await $t(b, "file-ok")).isExisting();
  const text = await (await (ok ? $t(b, "file-ok") : $t(b, "file-error"))).getText();
  return { ok, text };
}

async function rowNames(b) {
  const names = [];
  // textContent: WebKitWebDriver reads no text from an ellipsised (overflow: hidden) name.
  for (const r of await b.$$('[data-testid="journey-row"]')) names.push(await textOf(b, await r.$(".journey-link")));
  return names;
}

async function importFile(b, file) {
  await queuePick(b, "open", file);
  await (await $t(b, "import-journey")).click();
  return outcome(b);
}

/** Export → import round trip, copy on an existing id, and a malformed file refused. */
export async function filesRoundTrip() {
  console.log("Export and import journey files");
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-files-"));
  const work = mkdtempSync(path.join(tmpdir(), "switchboard-files-out-"));
  const sample = JSON.parse(readFileSync(SAMPLE, "utf8"));
  const b = await session(["--data-dir", dataDir]);
  try {
    await (await $t(b, "import-journey")).waitForClickable({ timeout: 15000 });
    const first = await importFile(b, SAMPLE);
    check(first.ok && first.text.includes(sample.name), `importing the sample adds it: "${first.text}"`);
    await shot(b, "files-01-imported");
    await (await $t(b, "file-outcome-open")).click();
    await (await $t(b, "export-journey")).waitForClickable({ timeout: 15000 });

    const exported = path.join(work, "exported.journey.json");
    await queuePick(b, "save", exported);
    await (await $t(b, "export-journey")).click();
    const saved = await outcome(b);
    check(saved.ok && saved.text.includes(exported), `export says where it wrote: "${saved.text}"`);
    await shot(b, "files-02-exported");
    await (await $t(b, "file-outcome-close")).click();
    const written = JSON.parse(readFileSync(exported, "utf8"));
    check(semantic(written) === semantic(sample), "the exported file is the same semantic document as the imported one");

    // Import… from inside the editor: "Open it" switches the editor to the imported journey.
    await (await $t(b, "import-journey")).waitForClickable({ timeout: 15000 });
    const again = await importFile(b, exported);
    check(again.ok && again.text.includes("copy"), `importing a journey that exists makes a copy: "${again.text}"`);
    await shot(b, "files-02b-imported-in-editor");
    await (await $t(b, "file-outcome-open")).click();
    const nameInput = await b.$('input[aria-label="Journey name"]');
    await checkSoon(b, async () => (await nameInput.getValue()) === `${sample.name} (copy)`, "Import… in the editor opens the imported journey", {
      timeout: 15000,
      detail: async () => `the editor did not switch to the copy: "${await nameInput.getValue().catch(() => "?")}"`,
    });
    await (await $t(b, "export-journey")).waitForClickable({ timeout: 15000 });
    const second = path.join(work, "copy.journey.json");
    await queuePick(b, "save", second);
    await (await $t(b, "export-journey")).click();
    check((await outcome(b)).ok, "the copy exports too");
    await (await $t(b, "file-outcome-close")).click();
    const copy = JSON.parse(readFileSync(second, "utf8"));
    check(copy.id !== written.id && copy.name === `${sample.name} (copy)`, `the copy has a new id and says so in its name: ${copy.id}, "${copy.name}"`);
    check(
      JSON.stringify({ ...copy, id: "", name: "" }) === JSON.stringify({ ...written, id: "", name: "" }),
      "export → import → export gives the same document, layout included (only the copy's id and name differ)",
    );
    await (await $t(b, "back")).click();
    await checkSoon(b, async () => (await rowNames(b)).includes(`${sample.name} (copy)`), "the copy is in the journey list", {
      detail: async () => `no copy in the list: ${await rowNames(b)}`,
    });

    const before = await rowNames(b);
    const broken = path.join(work, "broken.journey.json");
    writeFileSync(broken, '{\n  "schemaVersion": 1,\n  "id": oops\n}\n');
    const bad = await importFile(b, broken);
    check(!bad.ok && /line 3, column \d+/.test(bad.text), `a malformed file is refused with line and column: "${bad.text}"`);
    await shot(b, "files-03-malformed");
    await (await $t(b, "file-outcome-close")).click();
    const newer = path.join(work, "newer.journey.json");
    writeFileSync(newer, JSON.stringify({ ...sample, schemaVersion: 9 }));
    const future = await importFile(b, newer);
    check(!future.ok && future.text.includes("newer Switchboard"), `a newer schema is refused: "${future.text}"`);
    await (await $t(b, "file-outcome-close")).click();
    check(JSON.stringify(await rowNames(b)) === JSON.stringify(before), "refused files change nothing in the list");
  } catch (e) {
    await shot(b, "files-failure").catch(() => {});
    throw e;
  } finally {
    await b.deleteSession();
    rmSync(dataDir, { recursive: true, force: true });
    if (process.env.E2E_KEEP_DATA !== "1") rmSync(work, { recursive: true, force: true });
  }
}
