// The rough edges a new user hit (issue 11, item 9) and dark mode (item 10), on the real app:
// the 960×600 minimum window with every toolbar control inside it and no horizontal scroll, a
// 150-character name in the list, an out-of-range wait refused with its reason, the canvas label
// following the name as it is typed, and light/dark screenshots at 1280×800 and 960×600.
import { $t, center, check, checkSoon, drag, session, shot, textOf, tileNode } from "./lib.mjs";

const LONG_NAME = "Q".repeat(60) + "-renewal-winback-" + "Z".repeat(80);

/** Type as a fast typist does, a key at a time (a burst from WebDriver can drop keys under load). */
async function typeSlowly(b, text) {
  for (const k of text) {
    await b.keys([k]);
    await b.pause(30);
  }
}

/** Resize the window and wait until the page sees the new size. */
async function resize(b, width, height) {
  await b.setWindowSize(width, height);
  await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) <= width, { timeout: 5000, timeoutMsg: `the window did not become ${width} wide` });
  await b.pause(300);
}

const TOOLBAR = ".topbar button, .topbar input, .topbar .status, .topbar .catalog-chip, .topbar .save";

/** Controls whose box is not wholly inside the viewport, and whether the page scrolls sideways. */
async function layoutProblems(b, selector) {
  return b.execute((sel) => {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const outside = [];
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not drawn (e.g. a narrow-only label)
      const label = el.getAttribute("aria-label") || el.getAttribute("data-testid") || el.textContent?.trim().slice(0, 30) || el.className;
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
        outside.push(`${label} [${Math.round(r.left)}–${Math.round(r.right)} of ${vw}]`);
      else if (el.tagName === "BUTTON" && getComputedStyle(el).textOverflow !== "ellipsis" && el.scrollWidth > el.clientWidth + 1)
        outside.push(`${label} (cut: ${el.scrollWidth} > ${el.clientWidth})`);
    }
    const scrolls = document.documentElement.scrollWidth > vw || document.body.scrollWidth > vw;
    return { outside, scrolls, vw };
  }, selector);
}

async function theme(b) {
  return b.execute(() => ({ theme: document.documentElement.dataset.theme, bg: getComputedStyle(document.documentElement).backgroundColor }));
}

/** Luminance of an `rgb(r, g, b)` colour, 0 (black) to 255 (white). */
function luminance(rgb) {
  const [r, g, bl] = (rgb.match(/\d+/g) ?? ["0", "0", "0"]).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
}

async function chooseAppearance(b, which) {
  await (await $t(b, "nav-settings")).click();
  const option = await $t(b, `appearance-${which}`);
  await option.waitForClickable({ timeout: 5000 });
  await option.click();
  await b.waitUntil(async () => (await option.getAttribute("aria-checked")) === "true", { timeout: 3000 });
  await shot(b, `12-settings-${which}`);
  await (await b.$("button.nav=Journeys")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
}

/** Select the wait tile by clicking the part of it on screen (the inspector may cover the rest). */
async function selectWait(b) {
  const tile = await tileNode(b, "waitTime");
  await b.execute((el) => el.querySelector(".tile-head").dispatchEvent(new MouseEvent("click", { bubbles: true })), tile);
  await (await $t(b, "inspector")).waitForDisplayed({ timeout: 3000 });
}

async function rowOf(b, name) {
  for (const r of await b.$$('[data-testid="journey-row"]')) {
    if ((await (await r.$(".journey-link")).getAttribute("title")) === name) return r;
  }
  return null;
}

/** The test run of the journey run.mjs built (valid, so it can run): Seed under Advanced, the start explained. */
async function testRunWording(b) {
  const row = await rowOf(b, "Renewal calls");
  check(row !== null, "the journey built earlier is listed");
  await (await row.$(".journey-link")).click();
  await tileNode(b, "start");
  // Live, its toolbar also has Pause and Stop…: still everything inside at 960×600.
  await resize(b, 960, 600);
  const live = await layoutProblems(b, TOOLBAR);
  check(live.outside.length === 0 && !live.scrolls, `a live journey's toolbar fits 960×600 too (outside: ${live.outside.join(", ") || "none"})`);
  const room = await b.execute(() => {
    const spacer = document.querySelector(".topbar .spacer")?.getBoundingClientRect().width ?? 0;
    const name = document.querySelector(".topbar .journey-name")?.getBoundingClientRect().width ?? 0;
    return { spacer: Math.round(spacer), name: Math.round(name) };
  });
  console.log(`    room left in the 960 toolbar: ${room.spacer}px free, the name ${room.name}px (it shrinks to 140px)`);
  await shot(b, "12e2-live-960-dark");
  await resize(b, 1280, 800);
  // At 1280 the labels are back: the header wraps rather than push Publish out of the window.
  const wide = await layoutProblems(b, TOOLBAR);
  check(wide.outside.length === 0 && !wide.scrolls, `a live journey's toolbar fits 1280×800 (outside: ${wide.outside.join(", ") || "none"})`);
  await shot(b, "12e3-live-1280-dark");
  // Its last run's results, when it kept one, are shown beside the canvas: a picture for the eye.
  const panel = await $t(b, "test-run-panel");
  if (
    await panel.waitForDisplayed({ timeout: 5000 }).then(
      () => true,
      () => false,
    )
  )
    await shot(b, "12f-test-run-panel-1280-dark");
  await (await $t(b, "test-run")).waitForClickable({ timeout: 10000 });
  await (await $t(b, "test-run")).click();
  await (await $t(b, "test-run-dialog")).waitForDisplayed({ timeout: 10000 });
  check(!(await (await $t(b, "tr-seed")).isDisplayed()), "the seed is hidden under Advanced");
  const advanced = await b.$('[data-testid="tr-advanced"] > summary');
  // Above the dialog's sticky footer, where a click lands on the summary itself.
  await b.execute((el) => el.scrollIntoView({ block: "center" }), advanced);
  await advanced.click();
  check(await (await $t(b, "tr-seed")).isDisplayed(), "opening Advanced shows the seed");
  const from = await textOf(b, await $t(b, "tr-start-from"));
  check(
    /^(The journey's start time\.|Now: the journey's start \(.+\) has passed\.|Now: the journey has no start time yet\.|As in the earlier run\.)$/.test(from),
    `the run says when it starts and why: "${from}"`,
  );
  await shot(b, "12g-test-run-dialog-1280-dark");
  await (await $t(b, "test-run-close")).click();
  await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
}

/** From the journey list (light, 1280×800); leaves the app on the list, dark, at 1280×800. */
export async function polish(b) {
  console.log("Rough edges and dark mode (issue 11)");
  await resize(b, 960, 600);

  // A 150-character name without spaces: the counter near the limit, the list ellipsises it.
  await (await $t(b, "new-journey")).click();
  const input = await $t(b, "name-input");
  await input.waitForDisplayed({ timeout: 3000 });
  await input.click();
  await b.keys(["Control", "a"]);
  await b.keys(["Backspace"]);
  await input.addValue(LONG_NAME + "EXTRA");
  check((await input.getValue()) === LONG_NAME.slice(0, 150), "a name input stops at 150 characters (Rust's limit)");
  const counter = await textOf(b, await $t(b, "name-counter"));
  check(counter.replace(/\s/g, "") === "150/150", `the counter shows the limit is reached: "${counter}"`);
  await (await $t(b, "name-submit")).click();
  await tileNode(b, "start");
  await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  const row = await rowOf(b, LONG_NAME.slice(0, 150));
  check(row !== null, "the long-named journey is listed, its full name as the tooltip");
  const link = await row.$(".journey-link");
  const cut = await b.execute((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).textOverflow === "ellipsis", link);
  check(cut, "the long name is ellipsised");
  const list = await layoutProblems(b, '[data-testid="journey-row"] button, .page-head button');
  check(list.outside.length === 0, `every row action is inside the 960-wide window (outside: ${list.outside.join(", ") || "none"})`);
  check(!list.scrolls, "the journey list has no horizontal scroll at 960×600");
  await shot(b, "12a-list-960-light");

  // The editor at the window's minimum: every toolbar control whole and inside the window.
  await link.click();
  await tileNode(b, "start");
  const bar = await layoutProblems(b, TOOLBAR);
  check(bar.outside.length === 0, `every toolbar control is whole and inside the 960-wide window (outside: ${bar.outside.join(", ") || "none"})`);
  check(!bar.scrolls, "the editor has no horizontal scroll at 960×600");
  const nameBox = await (await b.$('[data-journey-path="name"]')).getSize();
  check(nameBox.width >= 120, `the journey name stays visible (${nameBox.width}px wide)`);
  const publish = await textOf(b, await $t(b, "publish"));
  check(publish.includes("Publish"), `Publish is whole: "${publish.trim()}"`);

  // The tile's label on the canvas follows its name while typing, before any blur.
  const pane = await $t(b, "canvas");
  const { x, y } = await pane.getLocation();
  const { width, height } = await pane.getSize();
  await drag(b, await center(await $t(b, "palette-waitTime")), { x: Math.round(x + width * 0.55), y: Math.round(y + height * 0.45) });
  const waitTile = await tileNode(b, "waitTime");
  // A dropped tile is selected; its inspector opens beside the canvas.
  if (!(await (await $t(b, "inspector")).isExisting())) await (await waitTile.$(".tile-head")).click();
  const nameInput = await b.$('[data-testid="inspector"] input[data-path="name"]');
  await nameInput.waitForDisplayed({ timeout: 3000 });
  await nameInput.click();
  let lagged = null;
  for (const prefix of ["C", "Co", "Coo", "Cool"]) {
    await b.keys([prefix.at(-1)]);
    const ok = await b
      .waitUntil(async () => (await textOf(b, await waitTile.$(".tile-title"))) === prefix, { timeout: 1000 })
      .then(
        () => true,
        () => false,
      );
    if (!ok) lagged = `${prefix} → "${await textOf(b, await waitTile.$(".tile-title"))}"`;
    if (lagged) break;
  }
  check(
    lagged === null && (await b.execute(() => document.activeElement?.getAttribute("data-path"))) === "name",
    `the canvas label follows each typed letter while the name field has focus${lagged ? ` (lagged: ${lagged})` : ""}`,
  );

  // An out-of-range wait is refused in the field with the reason; the save never fails.
  const amount = await b.$('[data-testid="inspector"] input[data-path="wait.amount"]');
  await amount.click();
  await b.keys(["Control", "a"]);
  await typeSlowly(b, "99999999999");
  const refused = await $t(b, "field-refused");
  await refused.waitForDisplayed({ timeout: 3000 });
  const reason = await textOf(b, refused);
  check(/at most 90 days/.test(reason) && /Still 9 until then/.test(reason), `99999999999 days is refused with the reason: "${reason}"`);
  await b.pause(1200);
  const saved = await textOf(b, await $t(b, "save-state"));
  check(!saved.includes("Couldn't save"), `the draft still saves (save state: "${saved.trim()}")`);
  await b.keys(["Control", "a"]);
  await typeSlowly(b, "-5");
  check((await amount.getValue()) === "-5", "typing -5 keeps its sign in the field (no more 05)");
  const negative = await textOf(b, await $t(b, "field-refused"));
  check(negative.startsWith("At least 1"), `-5 is refused with the reason: "${negative}"`);
  await shot(b, "12b-editor-960-light");
  await b.keys(["Control", "a"]);
  await b.keys(["3"]);
  await checkSoon(b, async () => !(await (await $t(b, "field-refused")).isExisting()), "a valid amount clears the refusal", 3000);

  // Dark mode, forced from Settings; screenshots of both themes at both sizes.
  await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  await chooseAppearance(b, "dark");
  const dark = await theme(b);
  check(dark.theme === "dark" && luminance(dark.bg) < 60, `choosing Dark draws the app dark (background ${dark.bg})`);
  await shot(b, "12c-list-960-dark");
  await (await (await rowOf(b, LONG_NAME.slice(0, 150))).$(".journey-link")).click();
  await selectWait(b);
  await shot(b, "12d-editor-960-dark");
  await resize(b, 1280, 800);
  const wide = await layoutProblems(b, TOOLBAR);
  check(wide.outside.length === 0 && !wide.scrolls, `at 1280×800 too every toolbar control is inside (outside: ${wide.outside.join(", ") || "none"})`);
  await shot(b, "12e-editor-1280-dark");
  await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  await testRunWording(b);
  await chooseAppearance(b, "light");
  const light = await theme(b);
  check(light.theme === "light" && luminance(light.bg) > 200, `choosing Light draws the app light (background ${light.bg})`);
  await (await (await rowOf(b, LONG_NAME.slice(0, 150))).$(".journey-link")).click();
  await selectWait(b);
  await shot(b, "12h-editor-1280-light");
  await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  await chooseAppearance(b, "dark");
}

/** A new session (a restart of the app) keeps the appearance chosen in `polish`, then resets it. */
export async function appearancePersists() {
  console.log("The appearance survives a restart");
  const b = await session();
  try {
    await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 15000 });
    await checkSoon(b, async () => (await theme(b)).theme === "dark", "after a restart the app is still dark");
    await chooseAppearance(b, "system");
    check((await theme(b)).theme === "light", "As the system follows the system (light under Xvfb)");
  } finally {
    await b.deleteSession();
  }
}

/** Background and text colours of the first element matching `selector`. */
async function colours(b, selector) {
  return b.execute((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, fg: s.color };
  }, selector);
}

/**
 * The context menu and Find follow the appearance (issue 11, items 4, 6 and 10): in Light they
 * are light, in Dark dark with light text; screenshots of both at 1280×800, Find at 960×600 too.
 * From the journey list or an editor; leaves the app on the list, dark, at 1280×800.
 */
export async function popupsFollowTheme(b) {
  console.log("The context menu and Find in light and dark");
  if (await (await $t(b, "back")).isExisting()) await (await $t(b, "back")).click();
  await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  for (const which of ["light", "dark"]) {
    await chooseAppearance(b, which);
    // The journey built earlier (or the sample) has calls to find; any journey has its start.
    let journey = await b.$(".journey-link=Renewal calls");
    if (!(await journey.isExisting())) journey = await b.$(".journey-link=Policy renewal calls");
    const query = (await journey.isExisting()) ? "call" : "start";
    await (query === "call" ? journey : await b.$(".journey-link")).click();
    const start = await tileNode(b, "start");
    const at = await center(start);
    await b.action("pointer").move(at).down({ button: 2 }).up({ button: 2 }).perform();
    const menu = await $t(b, "context-menu");
    await menu.waitForDisplayed({ timeout: 3000 });
    const first = await menu.$(".menu-item:not(:disabled)");
    await first.moveTo();
    const box = await colours(b, '[data-testid="context-menu"]');
    const item = await colours(b, '[data-testid="context-menu"] .menu-item:not(:disabled)');
    await shot(b, `popups-menu-1280-${which}`);
    await b.keys(["Escape"]);
    await menu.waitForExist({ reverse: true, timeout: 3000 });
    await b.keys(["Control", "f"]);
    const find = await $t(b, "find");
    await find.waitForDisplayed({ timeout: 3000 });
    await typeSlowly(b, query);
    await b.waitUntil(async () => (await b.$(".find-row.active")).isExisting(), {
      timeout: 3000,
      timeoutMsg: `Find showed no match for "${await (await $t(b, "find-input")).getValue()}"`,
    });
    const panel = await colours(b, '[data-testid="find"]');
    const input = await colours(b, '[data-testid="find-input"]');
    const active = await colours(b, ".find-row.active");
    await shot(b, `popups-find-1280-${which}`);
    await resize(b, 960, 600);
    await shot(b, `popups-find-960-${which}`);
    await resize(b, 1280, 800);
    await b.keys(["Escape"]);
    await find.waitForExist({ reverse: true, timeout: 3000 });
    const said = JSON.stringify({ box, item, panel, input, active });
    check(box && item && panel && input && active, `the menu, Find and its active row are drawn: ${said}`);
    const light = which === "light";
    const surfaces = [box.bg, hoverless(item.bg, box.bg), panel.bg, input.bg].map(luminance);
    check(
      surfaces.every((l) => (light ? l > 200 : l < 60)),
      `${which}: the menu, Find and its field are ${which} (luminance ${surfaces.map(Math.round).join(", ")})`,
    );
    const texts = [item.fg, input.fg].map(luminance);
    check(
      texts.every((l) => (light ? l < 80 : l > 150)),
      `${which}: their text reads on them (luminance ${texts.map(Math.round).join(", ")})`,
    );
    check(
      active.bg !== panel.bg && (light ? luminance(active.bg) > 180 : luminance(active.bg) < 80),
      `${which}: the chosen row stands out, ${which} (${active.bg})`,
    );
    await (await $t(b, "back")).click();
    await (await $t(b, "journey-list")).waitForDisplayed({ timeout: 5000 });
  }
}

/** A hovered item draws the accent; an item's own transparent background shows the menu's. */
function hoverless(bg, behind) {
  return bg === "rgba(0, 0, 0, 0)" ? behind : bg;
}
