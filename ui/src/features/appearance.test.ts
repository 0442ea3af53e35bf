import { describe, expect, it } from "vitest";
import { themeFor } from "./appearance";

describe("appearance", () => {
  it("follows the system unless light or dark is chosen", () => {
    expect(themeFor("system", true)).toBe("dark");
    expect(themeFor("system", false)).toBe("light");
    expect(themeFor("light", true)).toBe("light");
    expect(themeFor("dark", false)).toBe("dark");
  });
});
