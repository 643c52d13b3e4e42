// Keeps one page open in Debian's Chromium and answers questions about it,
// for tests that change the site while the page is open (make-feed serve's
// live reload).
//
// Usage: node live.mjs URL. Prints "ready" once the page has loaded, then
// reads commands from stdin, one JSON object a line, and answers each with
// one line:
//   {"until": SELECTOR, "has": TEXT}  waits until the element's text holds
//                                     TEXT: "ok", or "timeout: <its text>"
//   {"until": SELECTOR, "gone": true} waits until no element matches
//   {"text": SELECTOR}                the element's text now, as JSON
// Waits give up after 30 seconds.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto(process.argv[2]);
console.log("ready");

const textOf = (selector) =>
  page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector).catch(() => null);

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  if (command.text !== undefined) {
    console.log(JSON.stringify(await textOf(command.text)));
    continue;
  }
  const deadline = Date.now() + 30_000;
  let answer = null;
  while (answer === null) {
    // A reload may be under way: then there is no document to ask yet.
    const text = await textOf(command.until);
    if (command.gone ? text === null : text?.includes(command.has)) answer = "ok";
    else if (Date.now() > deadline) answer = `timeout: ${JSON.stringify(text)}`;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(answer);
}
await browser.close();
