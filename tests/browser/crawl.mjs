// Crawls a site in Debian's Chromium from one page, following only the links
// on its pages, as a reader clicking around would, and prints what it
// reached as JSON: {"pages": [...], "feeds": [...], "broken": [...]}.
//
// Usage: node crawl.mjs START_URL
//
// Only URLs on START_URL's origin are followed. A page is anything served as
// text/html, loaded in the browser; anything else a link points to (feeds,
// images) is fetched once to see that it exists.
import { chromium } from "playwright-core";

const start = new URL(process.argv[2]);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
const seen = new Set([start.href]);
const queue = [start.href];
const pages = [], feeds = [], broken = [];

while (queue.length > 0) {
  const url = queue.shift();
  const response = await page.request.get(url);
  const type = response.headers()["content-type"] ?? "";
  if (!response.ok()) {
    broken.push(url);
    continue;
  }
  if (!type.startsWith("text/html")) {
    if (/(rss|atom|feed)\+(xml|json)/.test(type)) feeds.push(url);
    continue;
  }
  await page.goto(url);
  pages.push(url);
  const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => a.href));
  for (const link of links) {
    const target = new URL(link);
    target.hash = "";
    if (target.origin === start.origin && !seen.has(target.href)) {
      seen.add(target.href);
      queue.push(target.href);
    }
  }
}
await browser.close();
process.stdout.write(JSON.stringify({ pages, feeds, broken }));
