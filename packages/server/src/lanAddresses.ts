import { networkInterfaces } from "node:os";

/** This machine's IPv4 addresses on its networks (not loopback), where testers can reach it. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
    .map((a) => (a as { address: string }).address);
}
