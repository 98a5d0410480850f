import { describe, expect, it } from "vitest";
import { DaisError } from "./DaisError.ts";
import { parseClientFrame } from "./protocol.ts";

const reason = (text: string) => {
  try {
    parseClientFrame(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DaisError);
    expect((e as DaisError).code).toBe("bad_frame");
    return (e as DaisError).message;
  }
  throw new Error(`accepted ${text}`);
};

describe("parseClientFrame", () => {
  it("accepts each frame type", () => {
    expect(parseClientFrame('{"type":"hello"}')).toEqual({ type: "hello" });
    expect(parseClientFrame('{"type":"hello","session":"abc-1"}')).toEqual({ type: "hello", session: "abc-1" });
    expect(parseClientFrame('{"type":"run","id":"r1","fn":0,"data":["hi"],"junk":1}')).toEqual({ type: "run", id: "r1", fn: 0, data: ["hi"] });
    // A resend is marked only by `true`; anything else there is dropped.
    expect(parseClientFrame('{"type":"run","id":"r1","fn":0,"data":[],"resend":true}')).toEqual({ type: "run", id: "r1", fn: 0, data: [], resend: true });
    expect(parseClientFrame('{"type":"run","id":"r1","fn":0,"data":[],"resend":"yes"}')).toEqual({ type: "run", id: "r1", fn: 0, data: [] });
    expect(parseClientFrame('{"type":"cancel","id":"r1"}')).toEqual({ type: "cancel", id: "r1" });
    expect(parseClientFrame('{"type":"clear"}')).toEqual({ type: "clear" });
  });

  it("says what is wrong with a malformed frame", () => {
    expect(reason("{nope")).toBe("Frame is not valid JSON.");
    expect(reason("[1,2]")).toBe("Frame must be a JSON object.");
    expect(reason("null")).toBe("Frame must be a JSON object.");
    expect(reason('{"type":"launch_missiles"}')).toBe('Unknown frame type "launch_missiles".');
    expect(reason("{}")).toBe("Unknown frame type undefined.");
    expect(reason('{"type":"run","id":"r1","fn":"0","data":[]}')).toMatch(/"fn" to be a function number/);
    expect(reason('{"type":"run","id":"r1","fn":0,"data":"hi"}')).toMatch(/"data" to be a list/);
    expect(reason('{"type":"run","id":"<script>","fn":0,"data":[]}')).toMatch(/"id" to be a run id/);
    expect(reason('{"type":"hello","session":42}')).toMatch(/"session" to be a session id/);
    expect(reason('{"type":"cancel"}')).toMatch(/"id"/);
  });
});

describe("feedback frames", () => {
  it("accept like, dislike, flag and null, with an optional comment", () => {
    expect(parseClientFrame('{"type":"feedback","component":0,"index":3,"value":"like"}')).toEqual({ type: "feedback", component: 0, index: 3, value: "like" });
    expect(parseClientFrame('{"type":"feedback","component":0,"index":1,"value":null,"comment":"meh"}')).toMatchObject({ value: null, comment: "meh" });
  });
  it("refuse anything else", () => {
    expect(() => parseClientFrame('{"type":"feedback","component":0,"index":1,"value":"love"}')).toThrow(/"value" to be one of like, dislike, flag or null/);
    expect(() => parseClientFrame('{"type":"feedback","component":0,"index":-1,"value":"like"}')).toThrow(/"index"/);
  });
});
