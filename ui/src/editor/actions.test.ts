import { describe, expect, it } from "vitest";
import { editorActions, isTyping, keyLabel, matchesKey } from "./actions";

const key = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);

describe("action registry keys", () => {
  it("matches Ctrl combinations by key, with and without Shift", () => {
    expect(matchesKey("Mod+Z", key({ key: "z", ctrlKey: true }))).toBe(true);
    expect(matchesKey("Mod+Z", key({ key: "Z", ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKey("Mod+Shift+Z", key({ key: "Z", ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKey("Mod+Z", key({ key: "z" }))).toBe(false);
    expect(matchesKey("Delete", key({ key: "Delete" }))).toBe(true);
    expect(matchesKey("Delete", key({ key: "Delete", ctrlKey: true }))).toBe(false);
    // "?" is Shift+/ on most layouts.
    expect(matchesKey("?", key({ key: "?", shiftKey: true }))).toBe(true);
    expect(matchesKey("?", key({ key: "/", shiftKey: true }))).toBe(true);
    expect(matchesKey("?", key({ key: "/" }))).toBe(false);
    expect(matchesKey("Shift+Alt+T", key({ key: "T", code: "KeyT", shiftKey: true, altKey: true }))).toBe(true);
    expect(keyLabel("Mod+Shift+Z")).toBe("Ctrl+Shift+Z");
  });

  it("no two actions share a key", () => {
    const all = editorActions({ openFind: () => {}, openShortcuts: () => {} }).flatMap((a) => a.keys);
    expect(new Set(all).size).toBe(all.length);
  });

  it("keys never act in places that type text", () => {
    const input = document.createElement("input");
    const check = Object.assign(document.createElement("input"), { type: "checkbox" });
    const area = document.createElement("textarea");
    const div = document.createElement("div");
    expect([input, area].map(isTyping)).toEqual([true, true]);
    expect([check, div].map(isTyping)).toEqual([false, false]);
  });
});
