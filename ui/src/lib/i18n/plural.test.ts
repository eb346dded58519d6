import { describe, expect, it } from "vitest";
import { formatCount, plural } from "./plural";

const elements = { zero: "no elements", one: "one element", two: "two elements", few: "# (few)", many: "# (many)", other: "# (other)" };

describe("plural", () => {
  it("gives Arabic its six forms: zero, one, two, few (3–10), many (11–99), other (100…)", () => {
    expect(plural(0, elements, "ar")).toBe("no elements");
    expect(plural(1, elements, "ar")).toBe("one element");
    expect(plural(2, elements, "ar")).toBe("two elements");
    expect(plural(3, elements, "ar")).toBe("3 (few)");
    expect(plural(10, elements, "ar")).toBe("10 (few)");
    expect(plural(11, elements, "ar")).toBe("11 (many)");
    expect(plural(99, elements, "ar")).toBe("99 (many)");
    expect(plural(100, elements, "ar")).toBe("100 (other)");
    expect(plural(103, elements, "ar")).toBe("103 (few)");
  });

  it("counts 0 as singular in French, not in English or German", () => {
    const forms = { one: "# one", other: "# other" };
    expect(plural(0, forms, "fr")).toBe("0 one");
    expect(plural(0, forms, "en")).toBe("0 other");
    expect(plural(0, forms, "de")).toBe("0 other");
    expect(plural(1, forms, "de")).toBe("1 one");
  });

  it("falls back to `other` for a category the forms leave out", () => {
    expect(plural(2, { one: "# one", other: "# other" }, "ar")).toBe("2 other");
  });

  it("writes the number the language's way", () => {
    expect(plural(12_345, { other: "# records" }, "en")).toBe("12,345 records");
    expect(plural(12_345, { other: "# documents" }, "fr")).toBe("12\u202f345 documents");
    expect(plural(12_345, { other: "# Dokumente" }, "de")).toBe("12.345 Dokumente");
    expect(formatCount(12_345, "ar")).toBe("12,345");
  });
});
