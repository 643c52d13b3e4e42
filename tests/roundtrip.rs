//! The bundled sample article survives every format whole: parsed back with
//! the format's own crate and with an independent parser (feed-rs), every
//! field and every paragraph, heading and caption is there, in order.

use crate::common::sample::*;
use crate::common::Test;
use chrono::{DateTime, FixedOffset, Utc};
use pretty_assertions::assert_eq;

fn instant() -> DateTime<Utc> {
    DateTime::from_timestamp(UNIX_TIME, 0).unwrap()
}

fn check_summary(summary: &str) {
    assert!(
        summary.starts_with("河北共产党员网讯(通讯员 吴树玲)“五月的风是前行"),
        "{summary}"
    );
    assert!(!summary.contains('<'));
}

fn built() -> Test {
    let test = Test::bundled();
    test.build().success();
    test
}

#[test]
fn rss_carries_every_field_of_the_sample() {
    let test = built();
    let channel = rss::Channel::read_from(test.read_out("rss.xml").as_bytes()).unwrap();
    assert_eq!(channel.title(), "河北共产党员网 · 承德频道");
    assert_eq!(channel.language(), Some("zh-CN"));
    assert_eq!(
        channel.last_build_date(),
        Some("Wed, 01 Jun 2022 17:52:50 +0800")
    );
    let self_link = &channel.atom_ext().unwrap().links()[0];
    assert_eq!(
        (self_link.rel(), self_link.href()),
        ("self", "https://feeds.example.org/rss.xml")
    );
    assert!(channel.generator().unwrap().starts_with("make-feed"));

    let [item] = channel.items() else {
        panic!("one item")
    };
    assert_eq!(item.title(), Some(TITLE));
    assert_eq!(item.link(), Some(LINK));
    let guid = item.guid().unwrap();
    assert_eq!((guid.value(), guid.is_permalink()), (ID, false));
    assert_eq!(item.pub_date(), Some("Wed, 01 Jun 2022 17:52:50 +0800"));
    let published = DateTime::parse_from_rfc2822(item.pub_date().unwrap()).unwrap();
    assert_eq!(published, instant());
    assert_eq!(
        published.offset(),
        &FixedOffset::east_opt(8 * 3600).unwrap()
    );
    assert_eq!(
        item.author(),
        None,
        "RSS <author> must be an e-mail address"
    );
    let dc = item.dublin_core_ext().unwrap();
    assert_eq!(dc.creators(), ["吴树玲"]);
    assert_eq!(dc.contributors(), ["王强"]);
    assert_eq!(dc.sources(), ["河北共产党员网"]);
    let categories: Vec<&str> = item.categories().iter().map(rss::Category::name).collect();
    assert_eq!(categories, CATEGORIES);
    check_summary(item.description().unwrap());
    check_body(item.content().unwrap());
}

#[test]
fn atom_carries_every_field_of_the_sample() {
    let test = built();
    let feed = atom_syndication::Feed::read_from(test.read_out("atom.xml").as_bytes()).unwrap();
    assert_eq!(feed.title().as_str(), "河北共产党员网 · 承德频道");
    assert_eq!(feed.lang(), Some("zh-CN"));
    assert_eq!(feed.updated().to_rfc3339(), "2022-06-01T17:52:50+08:00");
    let links: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert_eq!(
        links,
        [
            ("self", "https://feeds.example.org/atom.xml"),
            ("alternate", "https://feeds.example.org/")
        ]
    );
    assert_eq!(feed.generator().unwrap().value(), "make-feed");

    let [entry] = feed.entries() else {
        panic!("one entry")
    };
    assert_eq!(entry.title().as_str(), TITLE);
    assert_eq!(entry.id(), ID);
    assert_eq!(entry.links()[0].href(), LINK);
    let published = entry.published().unwrap();
    assert_eq!(published, &instant());
    assert_eq!(published.to_rfc3339(), "2022-06-01T17:52:50+08:00");
    assert_eq!(entry.updated(), published);
    let authors: Vec<&str> = entry
        .authors()
        .iter()
        .map(atom_syndication::Person::name)
        .collect();
    assert_eq!(authors, ["吴树玲"]);
    let contributors: Vec<&str> = entry
        .contributors()
        .iter()
        .map(atom_syndication::Person::name)
        .collect();
    assert_eq!(contributors, ["王强"]);
    let source = &entry.extensions()["dc"]["source"][0];
    assert_eq!(source.value(), Some("河北共产党员网"));
    let categories: Vec<&str> = entry
        .categories()
        .iter()
        .map(atom_syndication::Category::term)
        .collect();
    assert_eq!(categories, CATEGORIES);
    check_summary(entry.summary().unwrap().as_str());
    let content = entry.content().unwrap();
    assert_eq!(content.content_type(), Some("html"));
    check_body(content.value().unwrap());
}

#[test]
fn an_independent_parser_reads_the_same_entry_from_both_formats() {
    let test = built();
    for name in ["rss.xml", "atom.xml", "feed.json"] {
        let feed = feed_rs::parser::parse(test.read_out(name).as_bytes()).unwrap();
        assert_eq!(
            feed.language.as_deref().map(str::to_lowercase).as_deref(),
            Some("zh-cn"),
            "{name}"
        );
        let [entry] = &feed.entries[..] else {
            panic!("{name}: one entry")
        };
        assert_eq!(entry.title.as_ref().unwrap().content, TITLE, "{name}");
        assert_eq!(entry.id, ID, "{name}");
        assert_eq!(entry.published, Some(instant()), "{name}");
        assert_eq!(entry.links[0].href, LINK, "{name}");
        let authors: Vec<&str> = entry
            .authors
            .iter()
            .map(|p| p.name.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(authors, ["吴树玲"], "{name}");
        let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(categories, CATEGORIES, "{name}");
        check_summary(&entry.summary.as_ref().unwrap().content);
        check_body(entry.content.as_ref().unwrap().body.as_ref().unwrap());
    }
}

#[test]
fn the_sample_is_transcribed_completely() {
    // Independent of the renderer: the Markdown source itself holds every
    // line of the original article.
    let source = std::fs::read_to_string(
        crate::common::repo_root()
            .join("feed-data/articles/yixian-dangyuan-ganbu-de-yinghe-dandang.md"),
    )
    .unwrap();
    let mut rest = source.as_str();
    for block in &expected_blocks()[1..expected_blocks().len() - 1] {
        let at = rest
            .find(block.as_str())
            .unwrap_or_else(|| panic!("missing or out of order: {block}"));
        rest = &rest[at + block.len()..];
    }
    for id in PHOTOS {
        assert!(source.contains(&format!("(images/{id}.jpg)")), "{id}");
    }
    for line in [
        "published = 2022-06-01 17:52:50",
        "editor = \"王强\"",
        "source = \"河北共产党员网\"",
        "authors = [\"吴树玲\"]",
    ] {
        assert!(source.contains(line), "{line}");
    }
}

#[test]
fn json_feed_carries_every_field_of_the_sample() {
    let test = built();
    let feed: serde_json::Value = serde_json::from_str(&test.read_out("feed.json")).unwrap();
    // JSON Feed 1.1's required fields and types.
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "河北共产党员网 · 承德频道");
    assert_eq!(feed["feed_url"], "https://feeds.example.org/feed.json");
    assert_eq!(feed["home_page_url"], "https://feeds.example.org/");
    assert_eq!(feed["language"], "zh-CN");
    let items = feed["items"].as_array().unwrap();
    let [item] = &items[..] else {
        panic!("one item")
    };
    assert_eq!(item["id"], ID);
    assert_eq!(item["url"], LINK);
    assert_eq!(item["title"], TITLE);
    let published = DateTime::parse_from_rfc3339(item["date_published"].as_str().unwrap()).unwrap();
    assert_eq!(published, instant());
    assert_eq!(item["date_published"], "2022-06-01T17:52:50+08:00");
    assert_eq!(item["authors"], serde_json::json!([{ "name": "吴树玲" }]));
    assert_eq!(item["tags"], serde_json::json!(CATEGORIES));
    assert_eq!(item["_make_feed"]["editor"], "王强");
    assert_eq!(item["_make_feed"]["source"]["name"], "河北共产党员网");
    check_summary(item["summary"].as_str().unwrap());
    check_body(item["content_html"].as_str().unwrap());
}
