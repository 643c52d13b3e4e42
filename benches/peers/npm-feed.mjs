// The peer make-feed's feeds-only build is measured against: what a site
// owner would write with npm's `feed` and `marked`. It reads every article of
// a make-feed corpus (../shared/bench/make-corpus), keeps the newest 20 for
// the main feeds and for each category, renders their Markdown with marked,
// and writes RSS 2.0, Atom 1.0 and JSON Feed files, as make-feed does.
//
// Usage: node npm-feed.mjs DATA_DIR OUT_DIR
import fs from "node:fs";
import path from "node:path";
import { Feed } from "feed";
import { marked } from "marked";

const [dataDir, outDir] = process.argv.slice(2);
const base = "https://feeds.example.org/";
const limit = 20;

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith(".md")) out.push(full);
  }
  return out;
}

// The corpus's TOML front matter: title, published, categories.
function read(file) {
  const text = fs.readFileSync(file, "utf8");
  const [, front, ...rest] = text.split(/^\+\+\+$/m);
  const get = (key) => (front.match(new RegExp(`^${key} = (.*)$`, "m")) || [])[1];
  const published = get("published");
  const date = new Date(/[Z+-]\d*:?\d*$/.test(published.slice(10)) ? published : published.replace(" ", "T") + "+08:00");
  return {
    title: JSON.parse(get("title")),
    date,
    categories: JSON.parse(get("categories") || "[]"),
    slug: path.basename(file, ".md"),
    body: rest.join("+++"),
  };
}

function write(name, articles, folder) {
  const feed = new Feed({
    title: name,
    description: "make-feed benchmark corpus",
    id: base + folder,
    link: base,
    updated: articles[0]?.date,
    feedLinks: { atom: base + folder + "atom.xml", json: base + folder + "feed.json" },
    copyright: "",
  });
  for (const article of articles) {
    const url = base + "articles/" + article.slug + ".html";
    feed.addItem({
      title: article.title,
      id: url,
      link: url,
      date: article.date,
      content: marked.parse(article.body),
      category: article.categories.map((name) => ({ name })),
    });
  }
  const dir = path.join(outDir, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "rss.xml"), feed.rss2());
  fs.writeFileSync(path.join(dir, "atom.xml"), feed.atom1());
  fs.writeFileSync(path.join(dir, "feed.json"), feed.json1());
}

const articles = walk(path.join(dataDir, "articles"), []).map(read);
articles.sort((a, b) => b.date - a.date);
write("main", articles.slice(0, limit), "");
const categories = new Map();
for (const article of articles) {
  for (const name of article.categories) {
    if (!categories.has(name)) categories.set(name, []);
    categories.get(name).push(article);
  }
}
for (const [name, list] of categories) {
  write(name, list.slice(0, limit), "categories/" + encodeURIComponent(name) + "/");
}
