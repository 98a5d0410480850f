import QRCode from "qrcode";

/**
 * What `share: true` prints: every address testers on the network can use, each with the access
 * token, and a QR code of the first, for a phone.
 */
export async function printShare(localUrl: string, lanUrls: string[]): Promise<void> {
  console.log(`Running on ${localUrl}`);
  if (lanUrls.length === 0) {
    console.log("No network address found: testers on other machines cannot reach this one.");
    return;
  }
  for (const url of lanUrls) console.log(`On your network: ${url}`);
  const qr = await QRCode.toString(lanUrls[0] as string, { type: "terminal", small: true });
  console.log(`\nScan to open on a phone:\n${qr}`);
  console.log("The link carries an access token; without it the app answers 401. Share it only with your testers.");
}
