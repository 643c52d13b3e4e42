//! The static site around the feeds: article pages, the index, templates,
//! assets, and links that all land on files.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::sample::*;
use crate::common::{article, Test};
use scraper::{Html, Selector};

const BASE: &str = "https://feeds.example.org/";

/// Every URL on the site that `text` mentions (as an attribute, an element's
/// text or a JSON string), as a path below the output folder, without query
/// or fragment. Relative links in HTML pages are resolved against the page.
pub(crate) fn site_links(out: &Path, file: &str) -> Vec<String> {
    let text = fs::read_to_string(out.join(file)).unwrap();
    // Feeds carry HTML escaped once more; undo it so both layers are seen.
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    let mut links = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(BASE) {
        rest = &rest[start + BASE.len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "\"'<>)]\\".contains(c))
            .unwrap_or(rest.len());
        links.push(rest[..end].to_string());
    }
    if file.ends_with(".html") {
        let page = url::Url::parse(BASE).unwrap().join(file).unwrap();
        let document = Html::parse_document(&text);
        for element in document.select(&Selector::parse("[href], [src]").unwrap()) {
            let value = element.attr("href").or(element.attr("src")).unwrap();
            let resolved = page.join(value).unwrap();
            if let Some(path) = resolved.as_str().strip_prefix(BASE) {
                links.push(path.to_string());
            }
        }
    }
    links
        .into_iter()
        .map(|link| {
            let link = link.split(['?', '#']).next().unwrap().to_string();
            let decoded = percent_encoding::percent_decode_str(&link)
                .decode_utf8()
                .unwrap()
                .into_owned();
            if decoded.is_empty() || decoded.ends_with('/') {
                format!("{decoded}index.html")
            } else {
                decoded
            }
        })
        .collect()
}

/// Asserts that every link to the site in every output is a file in the
/// output folder, and returns how many distinct links there were.
#[track_caller]
fn assert_links_resolve(test: &Test) -> usize {
    let (checked, unresolved) = links(test);
    assert!(
        unresolved.is_empty(),
        "links to files not in the output folder: {unresolved:?}"
    );
    checked
}

/// How many distinct links to the site the outputs hold, and which of them
/// name no file in the output folder (as "file -> link").
fn links(test: &Test) -> (usize, BTreeSet<String>) {
    let out = test.out();
    let files: BTreeSet<String> = test
        .out_files()
        .into_keys()
        .filter(|name| !name.starts_with('.'))
        .collect();
    let mut checked = BTreeSet::new();
    let mut unresolved = BTreeSet::new();
    for file in &files {
        if !(file.ends_with(".html") || file.ends_with(".xml") || file.ends_with(".json")) {
            continue;
        }
        for link in site_links(&out, file) {
            if !files.contains(&link) {
                unresolved.insert(link.clone());
            }
            checked.insert(link);
        }
    }
    (checked.len(), unresolved)
}

#[test]
fn every_link_in_the_bundled_site_lands_on_a_file_once_its_photos_exist() {
    // The bundled photos are not available; with stand-ins in place, every
    // link of every feed and page resolves.
    let mut test = Test::bundled();
    for id in PHOTOS {
        test = test.bytes(&format!("articles/images/{id}.jpg"), id.as_bytes());
    }
    test.build().success();
    let checked = assert_links_resolve(&test);
    // Pages, feeds (3 main + 9 category), index, stylesheet, 3 photos.
    assert!(checked >= 1 + 12 + 2 + 3, "only {checked} links checked");
    for id in PHOTOS {
        assert_eq!(
            test.out_files()[&format!("articles/images/{id}.jpg")],
            id.as_bytes()
        );
    }
}

#[test]
fn the_bundled_site_builds_without_its_photos_and_says_which_are_missing() {
    let test = Test::bundled();
    let mut run = test.build().success();
    for (id, line) in PHOTOS.iter().zip([14, 44, 56]) {
        run = run.stderr_contains(&format!(
            "yixian-dangyuan-ganbu-de-yinghe-dandang.md:{line}: refers to articles/images/{id}.jpg, which is not in"
        ));
    }
    // Those three are the only links that land nowhere.
    let (checked, unresolved) = links(&test);
    assert!(checked > 15, "{checked}");
    assert_eq!(
        unresolved,
        PHOTOS
            .iter()
            .map(|id| format!("articles/images/{id}.jpg"))
            .collect()
    );
    // The page and the feeds keep the references and the captions.
    let page = test.read_out("articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html");
    for id in PHOTOS {
        assert!(page.contains(&format!("{BASE}articles/images/{id}.jpg")));
    }
    assert_eq!(select_text(&page, "figcaption").len(), 3);
    assert!(test.read_out("rss.xml").contains(PHOTOS[0]));
}

/// A site with a sub-folder, a picture, categories and archives.
pub(crate) fn rich_site() -> Test {
    let mut test = Test::empty().file(
        "feed.toml",
        &format!(
            "{}limit = 2\narchives = true\narchive_page_size = 2\n",
            crate::common::FEED_TOML
        ),
    );
    for n in 0..5 {
        test = test.file(
            &format!("articles/2022/post-{n}.md"),
            &format!(
                "+++\ntitle = \"Post {n}\"\npublished = 2022-06-0{} 10:00:00\ncategories = [\"News\", \"承德 频道\"]\n+++\n\n\
                 See [the first post](post-0.html) and [home](/).\n\n![A photo](img/photo.png)\n",
                n + 1
            ),
        );
    }
    test.bytes("articles/2022/img/photo.png", b"\x89PNG\r\n")
}

#[test]
fn every_link_in_a_site_with_folders_categories_and_archives_lands_on_a_file() {
    let test = rich_site();
    test.build().success();
    let checked = assert_links_resolve(&test);
    assert!(checked > 20, "only {checked} links checked");
    let files = test.out_files();
    assert_eq!(files["articles/2022/img/photo.png"], b"\x89PNG\r\n");
    for n in 0..5 {
        assert!(files.contains_key(&format!("articles/2022/post-{n}.html")));
    }
    // Relative links climb out of the sub-folder.
    let page = test.read_out("articles/2022/post-3.html");
    assert!(page.contains("href=\"../../style.css\""), "{page}");
}

#[test]
fn an_article_page_has_everything_a_reader_needs() {
    let test = Test::bundled();
    test.build().success();
    let page = test.read_out("articles/yixian-dangyuan-ganbu-de-yinghe-dandang.html");
    let text = |selector: &str| select_text(&page, selector);
    assert_eq!(text("h1"), [TITLE]);
    let blocks = expected_blocks();
    pretty_assertions::assert_eq!(
        text(".body p, .body h2, .body figcaption"),
        blocks[1..blocks.len() - 1]
    );
    assert_eq!(
        text(".byline > *"),
        [
            "2022-06-01 17:52 UTC+08:00",
            "来源:河北共产党员网",
            "作者:吴树玲",
            "编辑:王强"
        ]
    );
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{LINK}\">")));
    // Categories link to their feeds, which exist.
    let categories = text(".categories a");
    assert_eq!(categories, CATEGORIES);
}

#[test]
fn dates_on_pages_are_shown_in_the_site_zone_whatever_the_offset_written() {
    let test = Test::new().file(
        "articles/first.md",
        "+++\ntitle = \"First\"\npublished = 2022-06-01T09:52:50Z\n+++\n\nText.\n",
    );
    test.build().success();
    let page = test.read_out("articles/first.html");
    // feed.toml's zone is Asia/Shanghai; the machine's (New York) plays no part.
    assert!(
        page.contains(
            "<time datetime=\"2022-06-01T09:52:50+00:00\">2022-06-01 17:52 UTC+08:00</time>"
        ),
        "{page}"
    );
}

#[test]
fn a_date_given_alone_shows_as_a_date_and_a_time_shows_its_offset() {
    let test = Test::new().file(
        "articles/first.md",
        "+++\ntitle = \"First\"\npublished = 2026-08-20\nupdated = 2026-08-21T08:00:00+02:00\n+++\n\nText.\n",
    );
    test.build().success();
    let page = test.read_out("articles/first.html");
    assert!(
        page.contains("<time datetime=\"2026-08-20T00:00:00+08:00\">2026-08-20</time>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<time datetime=\"2026-08-21T08:00:00+02:00\">2026-08-21 14:00 UTC+08:00</time>"
        ),
        "{page}"
    );
    let index = test.read_out("index.html");
    assert!(index.contains(">2026-08-20</time>"), "{index}");
}

#[test]
fn pages_escape_every_field_and_keep_no_script() {
    let test = Test::new().file(
        "articles/first.md",
        "+++\ntitle = \"<script>alert(1)</script> & 'q'\"\npublished = 2022-06-01 10:00:00\n\
         authors = [\"<b>Tom</b>\"]\neditor = \"\\\" onmouseover=\\\"x\"\nsummary = \"</title><script>x</script>\"\n\
         categories = [\"<i>c</i>\"]\n+++\n\n<script>alert(2)</script><img src=x onerror=alert(3)>\n\n\
         [link](javascript:alert(4)) <a href=\"https://ok.example/\" onclick=\"alert(5)\">ok</a>\n",
    );
    test.build().success();
    for file in ["articles/first.html", "index.html"] {
        let page = test.read_out(file);
        let document = Html::parse_document(&page);
        let scripts = document.select(&Selector::parse("script").unwrap()).count();
        assert_eq!(scripts, 0, "{file}: {page}");
        for element in document.select(&Selector::parse("*").unwrap()) {
            for (name, value) in element.value().attrs() {
                assert!(!name.starts_with("on"), "{file}: handler {name}={value}");
                assert!(!value.contains("javascript:"), "{file}: {name}={value}");
            }
        }
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;q&#39;"),
            "{file}"
        );
    }
    let page = test.read_out("articles/first.html");
    assert!(page.contains(
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;q&#39; · Test channel</title>"
    ));
    // The site's language is English.
    assert!(page.contains("By &lt;b&gt;Tom&lt;/b&gt;"), "{page}");
}

#[test]
fn a_site_replaces_a_template_from_feed_data() {
    let test = Test::new().file(
        "templates/page.html",
        "<!DOCTYPE html>\n<title>{{ article.title }}</title>\n<p class=mine>{{ article.published.display }} {{ site.title }}{{ article.editor }}{{ site.rights }}</p>\n{{ article.body }}\n",
    );
    test.build().success();
    let page = test.read_out("articles/first.html");
    assert!(page.starts_with("<!DOCTYPE html>\n<title>First</title>\n<p class=mine>2022-06-01 17:52 UTC+08:00 Test channel</p>\n<p>First paragraph of First.</p>"), "{page}");
    // The index still uses the built-in template.
    assert!(test
        .read_out("index.html")
        .contains("<section class=\"subscribe\">"));

    // Changing the template renders the page again.
    let test = test.file("templates/page.html", "<p>{{ article.title }} again</p>\n");
    test.build().success();
    assert!(test
        .read_out("articles/first.html")
        .starts_with("<p>First again</p>\n"));
}

#[test]
fn a_broken_template_is_an_error_naming_its_file_and_line() {
    let test = Test::new();
    test.build().success();
    let before = test.out_files();
    let test = test.file(
        "templates/index.html",
        "<h1>{{ site.title }}</h1>\n{% for x in %}\n",
    );
    test.build()
        .failure()
        .stderr_contains("templates/index.html:2: template error")
        .stderr_contains("nothing was published");
    assert_eq!(test.out_files(), before);

    let test = test.file("templates/index.html", "<h1>{{ site.tilte }}</h1>\n");
    test.build()
        .failure()
        .stderr_contains("templates/index.html:1: template error: `site.tilte` is undefined")
        .stderr_contains("index.html can use site, entries, categories, feeds, labels");
    assert_eq!(test.out_files(), before);
}

#[test]
fn an_override_filling_a_block_its_layout_lacks_is_an_error_naming_the_block() {
    let test = Test::new().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{# the layout's block is main #}\n\
         {% block content %}<h1>{{ article.title }}</h1>{% endblock %}\n",
    );
    test.build()
        .failure()
        .stderr_contains(
            "templates/page.html:3: template error: block `content` is not in base.html, \
             which page.html extends",
        )
        .stderr_contains("use one of base.html's blocks (title, head, main)");
    // A layout of the site's own may add blocks its pages then fill; it
    // must keep those the built-in index fills.
    let layout =
        "<!DOCTYPE html>\n<title>{% block title %}{% endblock %}</title>\n{% block content %}{% endblock %}\n";
    let test = test.file("templates/base.html", layout);
    test.build().failure().stderr_contains(
        "(built-in template) index.html:2: template error: block `head` is not in base.html",
    );
    let test = test.file(
        "templates/base.html",
        &format!("{layout}{{% block head %}}{{% endblock %}}{{% block main %}}{{% endblock %}}\n"),
    );
    test.build().success();
    assert!(test
        .read_out("articles/first.html")
        .contains("<h1>First</h1>"));
}

#[test]
fn a_file_in_templates_that_is_not_a_template_gets_a_warning() {
    let test = Test::new().file("templates/notes.txt", "hello");
    test.build()
        .success()
        .stderr_contains("templates/notes.txt: is not a template make-feed uses; ignored");
}

#[test]
fn only_files_articles_refer_to_are_copied_and_never_the_sources() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let test = Test::new()
        .file(
            "articles/first.md",
            "+++\ntitle = \"First\"\npublished = 2022-06-01 10:00:00\n+++\n\n\
             [a](pic.png) [b](/feed.toml) [c](/templates/page.html) [d](other.md)\n\
             [e](.hidden.png) [f](../../../../etc/passwd) [g](link.txt) [h](sub/%E5%9B%BE.png)\n",
        )
        .bytes("articles/pic.png", b"png")
        .bytes("articles/unused.png", b"unused")
        .file(
            "articles/other.md",
            &article("Other", "2022-06-02 10:00:00"),
        )
        .file("templates/page.html", "{{ article.body }}")
        .bytes("articles/.hidden.png", b"hidden")
        .bytes("articles/sub/图.png", b"cjk");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        test.data().join("articles/link.txt"),
    )
    .unwrap();
    let mut run = test.build().success();
    let files = test.out_files();
    assert_eq!(files["articles/pic.png"], b"png");
    assert_eq!(files["articles/sub/图.png"], b"cjk");
    for never in [
        "articles/unused.png",
        "feed.toml",
        "templates/page.html",
        "articles/other.md",
        "articles/.hidden.png",
        "articles/link.txt",
        "etc/passwd",
    ] {
        assert!(!files.contains_key(never), "{never} was published");
    }
    for missing in [
        "feed.toml",
        "templates/page.html",
        "articles/other.md",
        "articles/.hidden.png",
        "articles/link.txt",
        "etc/passwd",
    ] {
        run = run.stderr_contains(&format!("refers to {missing}, which is not in"));
    }
}

#[test]
fn a_removed_article_loses_its_page_and_user_files_stay() {
    let test = Test::new().file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build().success();
    fs::write(test.out().join("robots.txt"), "User-agent: *\n").unwrap();
    fs::write(test.out().join("articles/mine.html"), "mine").unwrap();
    assert!(test.out().join("articles/second.html").is_file());

    let test = test.remove("articles/second.md");
    test.build()
        .success()
        .stderr_contains("no longer produced and removed");
    assert!(!test.out().join("articles/second.html").exists());
    assert!(test.out().join("articles/first.html").is_file());
    assert_eq!(
        fs::read_to_string(test.out().join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
    assert_eq!(
        fs::read_to_string(test.out().join("articles/mine.html")).unwrap(),
        "mine"
    );
    assert!(!test.read_out("index.html").contains("Second"));
}

#[test]
fn an_edit_renders_that_page_again_and_keeps_the_others() {
    let test = Test::new().file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build().success();
    let before = test.out_files();
    // An edit to the body: the title its neighbour shows stays the same.
    let test = test.file(
        "articles/second.md",
        &format!(
            "{}\nA new paragraph.\n",
            article("Second", "2022-06-02 10:00:00")
        ),
    );
    test.build().success();
    let after = test.out_files();
    assert_ne!(
        after["articles/second.html"],
        before["articles/second.html"]
    );
    assert_eq!(after["articles/first.html"], before["articles/first.html"]);
    assert!(test
        .read_out("articles/second.html")
        .contains("<p>A new paragraph.</p>"));
    // A new title is shown by the page before it, which links to it.
    let test = test.file(
        "articles/second.md",
        &article("Second, edited", "2022-06-02 10:00:00"),
    );
    test.build().success();
    let after = test.out_files();
    assert!(test
        .read_out("articles/first.html")
        .contains("<a rel=\"next\" href=\"../articles/second.html\">Next: Second, edited</a>"));

    // A page deleted by hand comes back, even though nothing else changed.
    fs::remove_file(test.out().join("articles/first.html")).unwrap();
    test.build().success();
    assert_eq!(
        test.out_files()["articles/first.html"],
        after["articles/first.html"]
    );

    // A change to feed.toml reaches every page.
    let test = test.file(
        "feed.toml",
        &crate::common::FEED_TOML.replace("Test channel", "Renamed"),
    );
    test.build().success();
    assert!(test
        .read_out("articles/first.html")
        .contains("· Renamed</title>"));
}

fn one_article(body: &str) -> String {
    format!("+++\ntitle = \"First\"\npublished = 2022-06-01 10:00:00\n+++\n\n{body}\n")
}

#[test]
fn a_symbolic_link_inside_the_data_folder_does_not_publish_its_sources() {
    use std::os::unix::fs::symlink;
    let test = Test::new()
        .file(
            "articles/first.md",
            &one_article(
                "![x](img/config.png) [g](gitcfg.txt) [t](tpl/page.html) [ok](img/real.png)",
            ),
        )
        .file(".git/config", "token=abc")
        .file("templates/page.html", "{{ article.body }}")
        .bytes("articles/img/real.png", b"real");
    let articles = test.data().join("articles");
    symlink("../../feed.toml", articles.join("img/config.png")).unwrap();
    symlink("../.git/config", articles.join("gitcfg.txt")).unwrap();
    symlink("../templates", articles.join("tpl")).unwrap();
    test.build()
        .success()
        .stderr_contains("refers to articles/img/config.png, which is not in")
        .stderr_contains("refers to articles/gitcfg.txt, which is not in")
        .stderr_contains("refers to articles/tpl/page.html, which is not in");
    let files = test.out_files();
    assert_eq!(files["articles/img/real.png"], b"real");
    for leaked in [
        "articles/img/config.png",
        "articles/gitcfg.txt",
        "articles/tpl/page.html",
    ] {
        assert!(!files.contains_key(leaked), "{leaked} was published");
    }
}

#[test]
fn a_template_linked_from_outside_the_data_folder_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.html"), "secret").unwrap();
    let test = Test::new();
    fs::create_dir_all(test.data().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.html"),
        test.data().join("templates/x.html"),
    )
    .unwrap();
    test.build()
        .failure()
        .stderr_contains("templates/x.html: is a symbolic link to a file outside the data folder");
}

#[test]
fn an_asset_where_the_build_writes_a_folder_is_left_out_and_nothing_breaks() {
    let test = Test::new().file(
        "articles/first.md",
        "+++\ntitle = \"First\"\npublished = 2022-06-01 10:00:00\ncategories = [\"news\"]\n+++\n\nSee [the list](../categories) and [that](../index.html/x).\n",
    );
    let test = test
        .bytes("categories", b"a file")
        .bytes("index.html/x", b"x");
    test.build()
        .success()
        .stderr_contains("categories: is not published: make-feed writes its own categories there")
        .stderr_contains(
            "index.html/x: is not published: make-feed writes its own index.html/x there",
        );
    assert!(test.out().join("categories/news/rss.xml").is_file());
    assert!(test.read_out("index.html").contains("<!DOCTYPE html>"));
}

#[test]
fn an_article_folder_that_cannot_be_a_url_is_an_error_not_a_crash() {
    let test = Test::new().file("articles/a\\b/x.md", &article("X", "2022-06-02 10:00:00"));
    test.build()
        .failure()
        .stderr_contains("is in a folder whose name cannot be part of a URL");
    assert!(
        test.out_holds_only_the_lock(),
        "a failed first build leaves nothing but its lock"
    );
}

#[test]
fn a_failed_build_leaves_no_new_folders_behind() {
    let test = Test::new();
    test.build().success();
    let test = test
        .file(
            "articles/sub/deeper/a.md",
            &article("A", "2022-06-02 10:00:00"),
        )
        .file(
            "articles/sub/deeper/b.md",
            "+++\ntitle = \"B\"\npublished = 2022-06-02 10:00:00\nslug = \"a\"\n+++\n",
        );
    test.build().failure().stderr_contains("is already used by");
    assert!(!test.out().join("articles/sub").exists());
}

#[test]
fn assets_with_apostrophes_and_odd_paths_are_found_or_reported() {
    let test = Test::new()
        .file(
            "articles/first.md",
            &one_article("[report](it's.pdf) ![x](img//a.png)"),
        )
        .bytes("articles/it's.pdf", b"pdf")
        .bytes("articles/img/a.png", b"png");
    test.build()
        .success()
        .stderr_contains("refers to articles/img//a.png, which is not in");
    assert_eq!(test.out_files()["articles/it's.pdf"], b"pdf");
}

#[test]
fn the_channel_icon_and_logo_are_published() {
    let test = Test::new()
        .file(
            "feed.toml",
            &format!(
                "{}icon = \"icon.png\"\nlogo = \"img/logo.png\"\n",
                crate::common::FEED_TOML
            ),
        )
        .bytes("icon.png", b"icon")
        .bytes("img/logo.png", b"logo");
    test.build().success();
    let files = test.out_files();
    assert_eq!(files["icon.png"], b"icon");
    assert_eq!(files["img/logo.png"], b"logo");
    assert_links_resolve(&test);

    let test = test.remove("img/logo.png");
    test.build()
        .success()
        .stderr_contains("feed.toml:7: refers to img/logo.png, which is not in");
}

#[test]
fn a_user_file_where_an_asset_would_go_is_kept() {
    let test = Test::new()
        .file(
            "articles/first.md",
            &one_article("[r](../files/report.pdf)"),
        )
        .bytes("files/report.pdf", b"from data");
    fs::create_dir_all(test.out().join("files")).unwrap();
    fs::write(test.out().join("files/report.pdf"), "the user's").unwrap();
    test.build()
        .success()
        .stderr_contains("data/files/report.pdf: is not published: out/files/report.pdf is a file make-feed did not write");
    assert_eq!(
        fs::read_to_string(test.out().join("files/report.pdf")).unwrap(),
        "the user's"
    );

    // Unlinked, it stays too: make-feed never wrote it.
    let test = test.file("articles/first.md", &one_article("No links."));
    test.build().success();
    assert_eq!(
        fs::read_to_string(test.out().join("files/report.pdf")).unwrap(),
        "the user's"
    );
}

#[test]
fn warnings_about_a_body_come_back_on_every_build() {
    let test = Test::new()
        .file(
            "feed.toml",
            &format!("{}limit = 1\n", crate::common::FEED_TOML),
        )
        .file("articles/old.md", &one_article("A bell &#7; here."))
        .file("articles/new.md", &article("New", "2022-06-05 10:00:00"));
    test.build()
        .success()
        .stderr_contains("old.md: removed character U+0007");
    test.build()
        .success()
        .stderr_contains("old.md: removed character U+0007")
        .stderr_contains("0 files written");
}

#[test]
fn hidden_files_and_folders_are_not_articles() {
    let test = Test::new()
        .file(
            "articles/.drafts/draft.md",
            &article("Draft", "2022-06-02 10:00:00"),
        )
        .file("articles/.first.md.swp", "not markdown")
        .file(
            "articles/.hidden.md",
            &article("Hidden", "2022-06-02 10:00:00"),
        );
    test.build().success().stderr_contains("built 1 entry");
    assert!(!test.read_out("rss.xml").contains("Draft"));
    assert!(!test.out().join("articles/.drafts").exists());
}

#[test]
fn an_article_folder_with_a_line_break_is_an_error() {
    let test = Test::new().file(
        "articles/a\nrss.xml/x.md",
        &article("X", "2022-06-02 10:00:00"),
    );
    test.build()
        .failure()
        .stderr_contains("is in a folder whose name cannot be part of a URL");
}

#[test]
fn a_user_file_identical_to_an_asset_is_left_alone_and_never_deleted() {
    let test = Test::new()
        .file("articles/first.md", &one_article("[f](../f.txt)"))
        .file("f.txt", "same");
    fs::create_dir_all(test.out()).unwrap();
    fs::write(test.out().join("f.txt"), "same").unwrap();
    test.build().success();
    assert!(!test.read_out(".make-feed-manifest").contains("f.txt"));
    let test = test.file("articles/first.md", &one_article("No link."));
    test.build().success();
    assert_eq!(test.read_out("f.txt"), "same");
}

#[test]
fn an_asset_that_becomes_a_folder_is_published_on_the_next_build() {
    let test = Test::new()
        .file("articles/first.md", &one_article("[d](../docs)"))
        .file("docs", "a file");
    test.build().success();
    assert_eq!(test.read_out("docs"), "a file");
    let test = test
        .remove("docs")
        .file("docs/a.pdf", "pdf")
        .file("articles/first.md", &one_article("[d](../docs/a.pdf)"));
    test.build()
        .success()
        .stderr_contains("docs/a.pdf: is not published: ")
        .stderr_contains("is a file where its folder should be");
    assert!(
        !test.out().join("docs").exists(),
        "the old file is no longer produced"
    );
    test.build().success();
    assert_eq!(test.read_out("docs/a.pdf"), "pdf");
}

#[test]
fn two_outputs_where_one_needs_the_other_as_a_folder_are_an_error_before_publishing() {
    let test = Test::new()
        .file("articles/zz.md", &article("Z", "2022-06-02 10:00:00"))
        .file(
            "articles/zz.html/b.md",
            &article("B", "2022-06-03 10:00:00"),
        );
    test.build()
        .failure()
        // Said of the page, or of the article and field its name comes from,
        // depending on which of the two was staged first.
        .stderr_contains("articles/zz.html")
        .stderr_contains("would be both a file and the folder of articles/zz.html/b.html")
        .stderr_contains("nothing was published");
    assert!(test.out_holds_only_the_lock());
}

#[test]
fn anything_in_the_way_of_an_output_stops_the_build_before_it_publishes() {
    let test = Test::new();
    test.build().success();
    // Something that is not make-feed's blocks one output: found before the
    // first rename, so nothing is published (no half-published site).
    fs::remove_file(test.out().join("style.css")).unwrap();
    fs::create_dir_all(test.out().join("style.css/mine")).unwrap();
    let test = test.file(
        "articles/second.md",
        &article("Second", "2022-06-02 10:00:00"),
    );
    test.build()
        .failure()
        .stderr_contains("out/style.css: is a folder, where make-feed writes a file")
        .stderr_contains("nothing was published");
    assert!(!test.read_out("rss.xml").contains("Second"));
    assert!(!test
        .read_out(".make-feed-manifest")
        .contains("articles/second.html"));

    // The manifest itself blocked: make-feed cannot tell its files, and says so.
    fs::remove_dir_all(test.out().join("style.css")).unwrap();
    fs::remove_file(test.out().join(".make-feed-manifest")).unwrap();
    fs::create_dir_all(test.out().join(".make-feed-manifest/x")).unwrap();
    test.build()
        .failure()
        .stderr_contains(".make-feed-manifest: is not a regular file")
        .stderr_contains("nothing was published");
    assert!(!test.read_out("rss.xml").contains("Second"));
}

#[test]
fn a_failed_build_into_new_nested_folders_leaves_only_the_lock() {
    let test = Test::new().file("articles/b.md", "+++\ntitle = \"B\"\n+++\n");
    test.run(&["build", "--data", "data", "--out", "new/nested/out"])
        .failure();
    let left: Vec<_> = walkdir::WalkDir::new(test.dir.path().join("new"))
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(test.dir.path())
                .unwrap()
                .to_path_buf()
        })
        .collect();
    assert_eq!(
        left,
        [
            "new/nested",
            "new/nested/out",
            "new/nested/out/.make-feed-lock"
        ]
        .map(std::path::PathBuf::from)
    );
}

#[test]
fn a_changed_stylesheet_does_not_rewrite_pages() {
    let test = Test::new();
    test.build().success();
    let before = test.out_files();
    let test = test.file("templates/style.css", "body { color: red; }\n");
    test.build().success();
    let after = test.out_files();
    assert_eq!(after["articles/first.html"], before["articles/first.html"]);
    assert_eq!(test.read_out("style.css"), "body { color: red; }\n");
}

#[test]
fn a_damaged_page_with_its_last_line_intact_is_rendered_again() {
    let test = Test::new();
    test.build().success();
    let good = test.read_out("articles/first.html");
    let trailer = good.lines().last().unwrap();
    fs::write(
        test.out().join("articles/first.html"),
        format!("<p>cut</p>\n{trailer}\n"),
    )
    .unwrap();
    test.build().success();
    assert_eq!(test.read_out("articles/first.html"), good);
}

#[test]
fn thousands_of_missing_files_get_ten_warnings_and_a_summary() {
    let links: Vec<String> = (0..5000).map(|n| format!("[l](p{n:04}.pdf)")).collect();
    let test = Test::new().file("articles/first.md", &one_article(&links.join(" ")));
    let run = test.build().success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 11, "{warnings:#?}");
    let named = |text: &str| warnings.iter().filter(|w| w.contains(text)).count();
    assert_eq!(
        named("first.md:6: refers to articles/p0000.pdf, which is not in"),
        1
    );
    assert_eq!(
        named("first.md:6: refers to articles/p0009.pdf, which is not in"),
        1
    );
    assert_eq!(
        named("refers to 4990 more files that are not in data, from articles/p0010.pdf on"),
        1
    );
}
