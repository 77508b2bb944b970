/** Input validation: a bad field is named with its reason; the same rules hold for every store. */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { parseCustomer, parseEvent, parseItem } from "../../src/core/validate.js";

describe("validation", () => {
  it("accepts a well-formed rating and trims ids", () => {
    const e = parseEvent({ customer: " ann ", item: 7, type: "rating", value: 4 });
    expect(e.customer).toBe("ann");
    expect(e.item).toBe("7");
    expect(e.value).toBe(4);
  });

  it("names the field when a rating has no value", () => {
    expect(() => parseEvent({ customer: "a", item: "b", type: "rating" }, "events[3]")).toThrow(
      /events\[3\]\.value: a rating needs a value/,
    );
  });

  it("rejects the NUL character in ids, channels, event ids, titles and categories (PostgreSQL cannot store it)", () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => parseEvent({ customer: "a\u0000b", item: "i", type: "view" }), /customer/],
      [() => parseEvent({ customer: "a", item: "i", type: "view", channel: "web\u0000" }), /channel/],
      [() => parseEvent({ customer: "a", item: "i", type: "view", eventId: "\u0000" }), /eventId/],
      [() => parseItem({ id: "i", title: "x\u0000y" }), /title/],
      [() => parseItem({ id: "i", categories: ["ok", "b\u0000d"] }), /categories/],
      [() => parseCustomer({ id: "\u0000" }), /id/],
    ];
    for (const [parse, field] of cases) {
      let error: unknown;
      try {
        parse();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(field);
      expect((error as Error).message).toContain("NUL");
    }
  });
});
