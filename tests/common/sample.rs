//! What the bundled sample article must look like in any output.

use scraper::{Html, Selector};

pub(crate) const TITLE: &str = "疫线党员干部的“硬核”担当";
pub(crate) const LINK: &str =
    "https://feeds.example.org/articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html";
pub(crate) const ID: &str =
    "tag:feeds.example.org,2022-06-01:yixian-dangyuan-ganbu-de-yinghe-dandang";
/// 2022-06-01T09:52:50Z, i.e. 17:52:50 China time.
pub(crate) const UNIX_TIME: i64 = 1_654_077_170;
pub(crate) const CATEGORIES: [&str; 3] = ["地方频道", "承德", "党员"];
pub(crate) const PHOTOS: [&str; 3] = [
    "16523e26dac579b00dd106f8abde997",
    "8efeac69d5d73f38ab20b81b1066b68",
    "ef11fa2b2453b12e52bb7c1ddb43c60",
];

/// The text blocks the article must show, in order, taken from the original
/// page (tests/fixtures/seed-article.txt, a copy of the seed): the source
/// line, every paragraph, heading and photo caption, and the editor's credit.
pub(crate) fn expected_blocks() -> Vec<String> {
    let seed = include_str!("../fixtures/seed-article.txt");
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("河北共产党员网讯"))
        .unwrap();
    let end = lines.iter().position(|l| l.starts_with("编辑:")).unwrap();
    let mut blocks = vec!["来源:河北共产党员网".to_string()];
    blocks.extend(
        lines[start..end]
            .iter()
            .filter(|l| !PHOTOS.contains(l))
            .map(std::string::ToString::to_string),
    );
    blocks.push(lines[end].to_string());
    assert_eq!(
        blocks.len(),
        1 + 19 + 3 + 3 + 1,
        "the seed has 19 paragraphs, 3 headings, 3 captions"
    );
    blocks
}

/// The text of every paragraph, heading and caption of `html`, in order.
pub(crate) fn blocks_of(html: &str) -> Vec<String> {
    select_text(html, "p, h2, figcaption")
}

pub(crate) fn select_text(html: &str, selector: &str) -> Vec<String> {
    let document = Html::parse_fragment(html);
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Checks that `html` is the whole sample body, figures included.
#[track_caller]
pub(crate) fn check_body(html: &str) {
    pretty_assertions::assert_eq!(blocks_of(html), expected_blocks());
    assert_eq!(
        select_text(html, "h2"),
        [
            "关键时刻,扛起非常之责",
            "抗疫前沿,践行使命担当",
            "众志成城,汇聚团结力量"
        ]
    );
    let document = Html::parse_fragment(html);
    let selector = Selector::parse("figure > img").unwrap();
    let sources: Vec<&str> = document
        .select(&selector)
        .map(|e| e.attr("src").unwrap())
        .collect();
    let expected: Vec<String> = PHOTOS
        .iter()
        .map(|id| format!("https://feeds.example.org/articles/images/{id}.jpg"))
        .collect();
    assert_eq!(sources, expected);
}
