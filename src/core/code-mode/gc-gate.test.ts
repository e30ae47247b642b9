import { describe, expect, it } from "vitest";
import { createGcGate } from "./gc-gate.js";

describe("gc gate", () => {
  it("grants one collection at a time, in order, and passes on when the holder is done or dies", () => {
    const granted: string[] = [];
    const dead = new Set<string>();
    const gate = createGcGate<string>({ grant: (w) => granted.push(w), alive: (w) => !dead.has(w) });
    gate.request("a");
    gate.request("b");
    gate.request("c");
    gate.request("b"); // asking twice waits once
    expect(granted).toEqual(["a"]);
    gate.done("a");
    expect(granted).toEqual(["a", "b"]);
    dead.add("c");
    gate.done("b"); // c died while waiting: skipped
    expect(granted).toEqual(["a", "b"]);
    gate.request("a");
    expect(granted).toEqual(["a", "b", "a"]);
    expect(gate.done("c")).toBe(false); // a dead worker's done changes nothing for the holder
    gate.request("d");
    expect(granted).toEqual(["a", "b", "a"]);
    expect(gate.done("a")).toBe(true);
    expect(granted).toEqual(["a", "b", "a", "d"]);
  });
});
