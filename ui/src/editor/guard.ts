// The production app is a desktop app, not a web page: no browser context menu (Back, Reload,
// Inspect Element) except the native one of editable fields, and no reload (F5, Ctrl+R, ⌘R)
// that would throw the marketer out to the journey list. Development builds keep both.

function editable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, [contenteditable]") !== null);
}

export function installProductionGuards(): void {
  window.addEventListener(
    "contextmenu",
    (e) => {
      if (!editable(e.target)) e.preventDefault();
    },
    true,
  );
  window.addEventListener(
    "keydown",
    (e) => {
      const key = e.key.toLowerCase();
      const reload = key === "f5" || ((e.ctrlKey || e.metaKey) && key === "r");
      if (reload) e.preventDefault();
    },
    true,
  );
}
