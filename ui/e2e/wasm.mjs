// The page's validator (validator-wasm, WebAssembly) in the production app: it loads under the
// app's content security policy, and the edits just made were validated by it in the page
// (the store's `switchboard:validated-in-page` mark), not through `validate_edit`.
import { check } from "./lib.mjs";

export async function pageValidates(b) {
  console.log("The page's validator");
  const load = await b.execute(() => performance.getEntriesByName("switchboard:page-validator-load").map((e) => e.duration));
  check(load.length === 1, `the page's validator loaded in the app (${load.map((d) => `${Math.round(d)} ms`).join(", ") || "no load mark"})`);
  const inPage = await b.execute(() => performance.getEntriesByName("switchboard:validated-in-page").length);
  check(inPage === 1, "the journey's edits were validated in the page");
}
