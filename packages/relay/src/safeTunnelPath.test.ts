import { describe, expect, it } from "vitest";
import { safeTunnelPath } from "./safeTunnelPath.ts";

describe("safeTunnelPath", () => {
  it("keeps ordinary paths and queries as they are", () => {
    for (const path of ["/", "/ws?room=1", "/app.js", "/a/b-c_d.e/?q=%2F..%5C", "/s/x/y?x=//evil"]) expect(safeTunnelPath(path)).toBe(path);
  });

  it("refuses every path that could leave the app's origin or folder", () => {
    for (const path of ["\\127.0.0.1:22/x", "/\\127.0.0.1:22/x", "//evil.example/x", "/%2f%2fevil/x", "/%5cevil", "/a/../b", "/..", "/a/%2e%2e/b", "/./x", "/a\tb", "/a\r\nHost: x", "evil/x", "/x#y"])
      expect(safeTunnelPath(path), path).toBeUndefined();
  });
});
