// Reads a feed with an npm feed parser and prints what it shows, as JSON.
//
// Usage: node read.mjs rss-parser|feedsmith|@rowanmanning/feed-parser URL
//
// The same shape as read.py: each entry's title, link, id, published
// (seconds since the epoch), published_raw, authors, categories and content
// (HTML), in the parser's order. Part of the reader matrix (tests/matrix.rs).
import Parser from "rss-parser";
import { parseFeed } from "feedsmith";
import { parseFeed as rowanmanningParseFeed } from "@rowanmanning/feed-parser";

const [name, url] = process.argv.slice(2);
const response = await fetch(url);
if (!response.ok) throw new Error(`${url}: ${response.status}`);
const body = await response.text();

const seconds = (text) => (text ? Math.floor(Date.parse(text) / 1000) : null);
const list = (value) => (value === undefined || value === null ? [] : [].concat(value));

async function withRssParser() {
  const feed = await new Parser().parseString(body);
  return feed.items.map((item) => ({
    title: item.title ?? null,
    link: item.link ?? null,
    id: item.guid ?? item.id ?? null,
    published: seconds(item.isoDate ?? item.pubDate),
    published_raw: item.pubDate ?? null,
    authors: list(item.creator ?? item.author).map(String),
    categories: list(item.categories).map((c) => (typeof c === "string" ? c : c._ ?? c.$?.term)),
    content: item["content:encoded"] ?? item.content ?? null,
  }));
}

// feedsmith gives Atom text constructs as { value, type }.
const textOf = (text) => (text && typeof text === "object" ? text.value : text) ?? null;

function withFeedsmith() {
  const { format, feed } = parseFeed(body);
  if (format === "rss") {
    return feed.items.map((item) => ({
      title: item.title ?? null,
      link: item.link ?? null,
      id: item.guid?.value ?? null,
      published: seconds(item.pubDate),
      published_raw: item.pubDate ?? null,
      authors: list(item.dc?.creators ?? item.dc?.creator ?? item.authors),
      categories: list(item.categories).map((c) => c.name),
      content: item.content?.encoded ?? item.description ?? null,
    }));
  }
  if (format === "atom") {
    return feed.entries.map((entry) => ({
      title: textOf(entry.title),
      link: list(entry.links).find((l) => !l.rel || l.rel === "alternate")?.href ?? null,
      id: entry.id ?? null,
      published: seconds(entry.published ?? entry.updated),
      published_raw: entry.published ?? null,
      authors: list(entry.authors).map((a) => a.name),
      categories: list(entry.categories).map((c) => c.term),
      content: textOf(entry.content),
    }));
  }
  if (format === "json") {
    return feed.items.map((item) => ({
      title: item.title ?? null,
      link: item.url ?? null,
      id: item.id ?? null,
      published: seconds(item.date_published),
      published_raw: item.date_published ?? null,
      authors: list(item.authors ?? item.author).map((a) => a.name),
      categories: list(item.tags),
      content: item.content_html ?? null,
    }));
  }
  throw new Error(`feedsmith: unexpected format ${format}`);
}

function withRowanmanning() {
  return rowanmanningParseFeed(body).items.map((item) => ({
    title: item.title,
    link: item.url,
    id: item.id,
    published: item.published ? Math.floor(item.published.getTime() / 1000) : null,
    // A Date: the offset written is gone.
    published_raw: item.published ? item.published.toISOString() : null,
    authors: item.authors.map((a) => a.name),
    categories: item.categories.map((c) => c.term),
    content: item.content,
  }));
}

const readers = {
  "rss-parser": withRssParser,
  feedsmith: withFeedsmith,
  "@rowanmanning/feed-parser": withRowanmanning,
};
const entries = await readers[name]();
process.stdout.write(JSON.stringify({ entries }));
