import { describe, expect, it } from "vitest";
import { integerRefusal, nameLength } from "./fields";

describe("whole-number fields", () => {
  const wait = { min: 1, max: 90, tooBig: "A wait lasts at most 90 days." };

  it("stores what is in range", () => {
    expect(integerRefusal("1", wait)).toBeNull();
    expect(integerRefusal(" 90 ", wait)).toBeNull();
  });

  it("refuses what is beyond the range with the reason, however large", () => {
    expect(integerRefusal("91", wait)).toBe("A wait lasts at most 90 days.");
    expect(integerRefusal("99999999999", wait)).toBe("A wait lasts at most 90 days.");
  });

  it("refuses a negative number rather than dropping its sign", () => {
    expect(integerRefusal("-5", wait)).toBe("At least 1.");
    expect(integerRefusal("0", { ...wait, tooSmall: "At least 1 day." })).toBe("At least 1 day.");
  });

  it("refuses what is not a whole number, or nothing", () => {
    expect(integerRefusal("", wait)).toBe("Enter a number.");
    expect(integerRefusal("1.5", wait)).toBe("“1.5” is not a whole number.");
    expect(integerRefusal("1e3", wait)).toBe("“1e3” is not a whole number.");
    expect(integerRefusal("-", wait)).toBe("“-” is not a whole number.");
  });
});

describe("name length", () => {
  it("counts characters as Rust does (code points), not UTF-16 units", () => {
    expect(nameLength("abc")).toBe(3);
    expect(nameLength("📞 call")).toBe(6);
    expect("📞 call".length).toBe(7);
  });
});
