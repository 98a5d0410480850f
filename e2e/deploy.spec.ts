import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composeNginx, nginxConfig } from "../deploy/nginxConfig.ts";
import { commands } from "../packages/dais/src/cli/commands.ts";

// deploy/ cannot be run here (no Docker): what can be checked without it is, against the real
// CLI and the real nginx.
const read = (name: string) => readFileSync(new URL(`../deploy/${name}`, import.meta.url), "utf8");

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  deploy?: { replicas?: number };
  depends_on?: unknown;
}

const compose = parse(read("compose.yaml"), { merge: true, uniqueKeys: true, strict: true }) as { services: Record<string, Service> };

describe("deploy/", () => {
  it("nginx.conf is nginxConfig's output for the compose services (run `tsx deploy/nginxConfig.ts` after changing either)", () => {
    expect(read("nginx.conf")).toBe(nginxConfig(composeNginx));
  });

  it("compose.yaml parses and has Redis, the balancer, N web processes and M workers, wired to each other", () => {
    const { redis, balancer, web, worker } = compose.services;
    expect(Object.keys(compose.services).sort()).toEqual(["balancer", "redis", "web", "worker"]);
    expect(redis?.image).toMatch(/^redis:/);
    expect(redis?.command).toContain("noeviction");
    for (const s of [web, worker]) {
      expect(s?.environment?.DAIS_REDIS_URL).toBe("redis://redis:6379");
      expect(s?.build).toEqual({ context: "..", dockerfile: "deploy/Dockerfile" });
      expect(s?.deploy?.replicas).toBeGreaterThan(0);
    }
    // The balancer runs this folder's nginx.conf, whose upstream is the web service on the port it listens on.
    expect(balancer?.image).toMatch(/^nginx:/);
    expect(balancer?.volumes).toContain("./nginx.conf:/etc/nginx/nginx.conf:ro");
    const port = web?.command?.[web.command.indexOf("--port") + 1];
    expect(composeNginx.upstreams).toEqual([`web:${port}`]);
    expect(web?.command).toEqual(expect.arrayContaining(["--host", "0.0.0.0"]));
  });

  it("the compose commands are ones the dais CLI has: `dais run app.ts --no-worker` and `dais worker app.ts`", () => {
    const { web, worker } = compose.services;
    expect(web?.command?.slice(0, 5)).toEqual(["npx", "dais", "run", "app.ts", "--no-worker"]);
    expect(worker?.command).toEqual(["npx", "dais", "worker", "app.ts"]);
    for (const flag of web?.command?.filter((a) => a.startsWith("--")) ?? []) expect(commands.run.help).toContain(flag);
    expect(Object.keys(commands)).toContain("worker");
  });

  it("Debian's nginx accepts the generated config (nginx -t)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dais-nginx-t-"));
    chmodSync(dir, 0o755);
    try {
      // The compose config with an address for `web` that resolves here, and a log file in place
      // of /dev/stdout (a socket under the test runner, which nginx cannot open).
      const config = nginxConfig({ ...composeNginx, listen: "127.0.0.1:1", upstreams: ["127.0.0.1:7860"], prefix: dir, accessLog: join(dir, "access.log") });
      writeFileSync(join(dir, "nginx.conf"), config);
      const check = spawnSync(process.env.DAIS_NGINX ?? "/usr/sbin/nginx", ["-t", "-p", dir, "-c", join(dir, "nginx.conf"), "-e", "stderr"], { encoding: "utf8" });
      expect(check.stderr).toContain("test is successful");
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("nginxConfig refuses what would change the config's meaning (a `;` or braces in an address)", () => {
    expect(() => nginxConfig({ listen: 80, upstreams: [] })).toThrow(/at least one upstream/);
    expect(() => nginxConfig({ listen: "80; include /etc/passwd", upstreams: ["web:7860"] })).toThrow(/Not a plain address/);
    expect(() => nginxConfig({ listen: 80, upstreams: ["web:7860 }"] })).toThrow(/Not a plain address/);
  });
});
