//! Template syntax in a post's body: Hugo shortcodes (`{{< x >}}`,
//! `{{% x %}}`), Jekyll's Liquid (`{% x %}`, `{{ x }}`) and Zola shortcodes
//! (`{{ x() }}`, `{% x() %}…{% end %}`). Links between posts become the
//! target's URL; a few tags whose meaning is plain (`highlight`, `raw`,
//! `site.url`) become what they stand for; any other tag is removed with a
//! warning naming file, line and tag, so no feed ever shows raw template
//! syntax. A paired tag keeps its inner Markdown.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use crate::error::Diagnostic;
use crate::model::Generator;
use crate::text::line_of;

/// Every post's URL, by its path below the content folder (`posts/a.md`)
/// and by its file name without extension, for links between posts.
#[derive(Debug, Default)]
pub(crate) struct PostUrls {
    by_path: HashMap<String, String>,
    /// `None` when two posts share the name.
    by_name: HashMap<String, Option<String>>,
    /// The site's base URL, for Liquid's `site.url` and `relative_url`.
    base: String,
    /// Jekyll's `site.x` strings.
    variables: Vec<(String, String)>,
}

impl PostUrls {
    pub(crate) fn new(base: &url::Url, variables: &[(String, String)]) -> PostUrls {
        PostUrls {
            base: base.as_str().trim_end_matches('/').to_string(),
            variables: variables.to_vec(),
            ..PostUrls::default()
        }
    }

    /// Notes the post at `relative` (below the content folder).
    pub(crate) fn add(&mut self, relative: &str, url: &str) {
        self.by_path.insert(relative.to_string(), url.to_string());
        let file = relative.rsplit('/').next().unwrap_or(relative);
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let name = if stem == "index" {
            relative.rsplit('/').nth(1).unwrap_or(stem)
        } else {
            stem
        };
        self.by_name
            .entry(name.to_string())
            .and_modify(|url| *url = None)
            .or_insert_with(|| Some(url.to_string()));
    }

    /// A digest of everything links between posts resolve through: what
    /// an output made from bodies depends on besides the bodies.
    pub(crate) fn digest(&self) -> u64 {
        let pair = |a: &str, b: &str| {
            let mut bytes = Vec::with_capacity(a.len() + b.len() + 8);
            bytes.extend_from_slice(&(a.len() as u64).to_le_bytes());
            bytes.extend_from_slice(a.as_bytes());
            bytes.extend_from_slice(b.as_bytes());
            xxhash_rust::xxh3::xxh3_64(&bytes)
        };
        // In any order: the maps are not sorted.
        let posts = self
            .by_path
            .iter()
            .fold(0u64, |sum, (path, url)| sum.wrapping_add(pair(path, url)));
        let variables = self.variables.iter().fold(0u64, |sum, (name, value)| {
            sum.wrapping_add(pair(name, value))
        });
        pair(&self.base, "") ^ posts.rotate_left(1) ^ variables.rotate_left(2)
    }

    /// The URL of the post `target` (a path, without `#fragment`) names,
    /// from a post in `folder`: a path relative to that folder, a path below
    /// the content folder (`@/` or `/`), or a post's name.
    pub(crate) fn find(&self, folder: &str, target: &str) -> Option<&str> {
        let rooted = target
            .strip_prefix("@/")
            .or_else(|| target.strip_prefix('/'));
        let candidates = [
            rooted.map(str::to_string),
            Some(normalise(&format!("{folder}{target}"))),
            Some(target.to_string()),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|path| self.by_path.get(&path))
            .or_else(|| {
                let name = target.rsplit('/').next().unwrap_or(target);
                let name = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
                self.by_name.get(name).and_then(Option::as_ref)
            })
            .map(String::as_str)
    }
}

/// `a/./b/../c.md` as `a/c.md`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Where the body being expanded is, for links and messages.
pub(crate) struct Body<'a> {
    pub(crate) path: &'a Path,
    /// The folder below the content folder, ending in `/` or empty.
    pub(crate) folder: &'a str,
    /// The line of the file the body starts on.
    pub(crate) first_line: usize,
}

/// The body with `generator`'s template syntax replaced, and a warning for
/// each tag removed.
pub(crate) fn expand<'t>(
    text: &'t str,
    generator: Generator,
    posts: &PostUrls,
    body: &Body<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Cow<'t, str> {
    if !text.contains("{{") && !text.contains("{%") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut skip_to: Option<&str> = None;
    while let Some(at) = rest.find(['{']) {
        let tail = &rest[at..];
        let Some((open, close)) = delimiters(tail, generator) else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        let Some(end) = tail[open.len()..].find(close) else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        };
        let inner = tail[open.len()..open.len() + end].trim();
        let after = &tail[open.len() + end + close.len()..];
        let line = body.first_line + line_of(text, text.len() - tail.len()) - 1;
        if let Some(ending) = skip_to {
            // Inside `{% comment %}`: everything up to its end goes.
            if inner.trim_matches(['-', ' ']) == ending {
                skip_to = None;
            }
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        let raw = &tail[..open.len() + end + close.len()];
        let tag = Tag {
            inner,
            raw,
            open,
            line,
        };
        match replace(&tag, generator, posts, body, warnings) {
            Replaced::Text(text) => {
                out.push_str(&text);
                rest = after;
            }
            Replaced::Verbatim(ending) => {
                // Everything up to the end tag, as written.
                let (stop, resume) = find_end(after, ending).unwrap_or((after.len(), after.len()));
                let verbatim = &after[..stop];
                if ending == "endhighlight" {
                    let language = name_and_rest(inner)
                        .1
                        .split_whitespace()
                        .next()
                        .unwrap_or("");
                    out.push_str(&format!(
                        "\n```{language}\n{}\n```\n",
                        verbatim.trim_matches('\n')
                    ));
                } else {
                    out.push_str(verbatim);
                }
                rest = &after[resume..];
            }
            Replaced::SkipTo(ending) => {
                skip_to = Some(ending);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Where the Liquid tag `{% ending %}` starts and ends in `text`.
fn find_end(text: &str, ending: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let close = text[start..].find("%}")?;
        if text[start + 2..start + close].trim_matches(['-', ' ']) == ending {
            return Some((start, start + close + 2));
        }
        from = start + 2;
    }
    None
}

/// A tag's name and what follows it.
fn name_and_rest(inner: &str) -> (&str, &str) {
    let inner = inner.trim_matches(['-', ' ']);
    let name = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    (name, &inner[name.len()..])
}

/// The opening and closing delimiters of the tag at the start of `tail`.
fn delimiters(tail: &str, generator: Generator) -> Option<(&'static str, &'static str)> {
    let pairs: &[(&str, &str)] = match generator {
        Generator::Hugo => &[
            ("{{</*", "*/>}}"),
            ("{{%/*", "*/%}}"),
            ("{{<", ">}}"),
            ("{{%", "%}}"),
        ],
        Generator::Jekyll => &[("{%-", "%}"), ("{%", "%}"), ("{{-", "}}"), ("{{", "}}")],
        Generator::Zola => &[("{%", "%}"), ("{{", "}}")],
        Generator::MakeFeed => &[],
    };
    pairs
        .iter()
        .copied()
        .find(|(open, _)| tail.starts_with(open))
}

struct Tag<'a> {
    inner: &'a str,
    /// The whole tag as written.
    raw: &'a str,
    open: &'static str,
    line: usize,
}

enum Replaced {
    Text(String),
    /// Copy the body as written up to this end tag.
    Verbatim(&'static str),
    /// Drop the body up to this end tag.
    SkipTo(&'static str),
}

fn replace(
    tag: &Tag<'_>,
    generator: Generator,
    posts: &PostUrls,
    body: &Body<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Replaced {
    let (name, after_name) = name_and_rest(tag.inner);
    let argument = first_argument(after_name);
    let link = |target: &str, warnings: &mut Vec<Diagnostic>| {
        let (path, fragment) = target
            .split_once('#')
            .map_or((target, None), |(path, fragment)| (path, Some(fragment)));
        match posts.find(body.folder, path) {
            Some(url) => Replaced::Text(match fragment {
                Some(fragment) => format!("{url}#{fragment}"),
                None => url.to_string(),
            }),
            None => {
                warnings.push(
                    Diagnostic::new(
                        body.path,
                        format!(
                            "`{}` links to {target:?}, which is not a post of the site",
                            tag.inner
                        ),
                    )
                    .line(tag.line)
                    .help("check the name of the post it links to"),
                );
                Replaced::Text(String::new())
            }
        }
    };
    let removed = |warnings: &mut Vec<Diagnostic>| {
        warnings.push(
            Diagnostic::new(
                body.path,
                format!(
                    "the template tag `{} {} …` has no meaning in a feed; removed",
                    tag.open, name
                ),
            )
            .line(tag.line)
            .help("feeds carry the post's Markdown; a paired tag keeps what it encloses"),
        );
        Replaced::Text(String::new())
    };
    match generator {
        Generator::Hugo => match (tag.open, name) {
            ("{{</*", _) => Replaced::Text(format!(
                "{{{{< {} >}}}}",
                tag.inner.trim_end_matches("*/").trim()
            )),
            ("{{%/*", _) => Replaced::Text(format!(
                "{{{{% {} %}}}}",
                tag.inner.trim_end_matches("*/").trim()
            )),
            (_, "ref" | "relref") => link(&argument, warnings),
            (_, closing) if closing.starts_with('/') => Replaced::Text(String::new()),
            _ => removed(warnings),
        },
        Generator::Jekyll if tag.open.starts_with("{%") => match name {
            "post_url" | "link" => link(&argument, warnings),
            "raw" => Replaced::Verbatim("endraw"),
            "highlight" => Replaced::Verbatim("endhighlight"),
            "comment" => Replaced::SkipTo("endcomment"),
            end if end.starts_with("end") => Replaced::Text(String::new()),
            _ => removed(warnings),
        },
        Generator::Jekyll => match liquid_output(tag.inner.trim_matches(['-', ' ']), posts) {
            Some(text) => Replaced::Text(text),
            None => removed(warnings),
        },
        Generator::Zola => {
            let call = after_name.trim_start().starts_with('(');
            match name {
                "end" if tag.open == "{%" => Replaced::Text(String::new()),
                _ if call && !name.is_empty() => removed(warnings),
                // `{{ x }}` that is no call is text to Zola too.
                _ => Replaced::Text(tag.raw.to_string()),
            }
        }
        Generator::MakeFeed => Replaced::Text(tag.raw.to_string()),
    }
}

/// The first argument of a tag: quoted, or its first word.
fn first_argument(text: &str) -> String {
    let text = text.trim().trim_start_matches('(').trim();
    let text = text
        .split_once('=')
        .filter(|(key, _)| !key.contains(['"', '\'']))
        .map_or(text, |(_, v)| v.trim());
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => text[1..].split(quote).next().unwrap_or("").to_string(),
        _ => text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(')')
            .to_string(),
    }
}

/// What Liquid prints for `{{ site.url }}`, `{{ site.baseurl }}`, any
/// other string of `_config.yml` (`{{ site.repository }}`) and
/// `{{ "/x" | relative_url }}`; `None` for anything else.
fn liquid_output(inner: &str, posts: &PostUrls) -> Option<String> {
    let base = posts.base.as_str();
    let site_path = url::Url::parse(base)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let origin = base.strip_suffix(&site_path).unwrap_or(base);
    match inner {
        "site.url" => return Some(origin.to_string()),
        "site.baseurl" => return Some(site_path),
        _ => {}
    }
    if let Some(name) = inner.strip_prefix("site.") {
        if let Some((_, value)) = posts.variables.iter().find(|(key, _)| key == name) {
            return Some(value.clone());
        }
    }
    let (value, filter) = inner.split_once('|')?;
    let value = first_argument(value);
    let value = format!("/{}", value.trim_start_matches('/'));
    match filter.trim() {
        "relative_url" => Some(format!("{site_path}{value}")),
        "absolute_url" => Some(format!("{origin}{site_path}{value}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts() -> PostUrls {
        let variables = [(
            "repository".to_string(),
            "https://github.com/x/y".to_string(),
        )];
        let mut posts = PostUrls::new(
            &url::Url::parse("https://example.org/blog/").unwrap(),
            &variables,
        );
        posts.add(
            "_posts/2016-03-10-hello.md",
            "https://example.org/blog/2016/03/10/hello.html",
        );
        posts.add(
            "posts/first/index.md",
            "https://example.org/blog/posts/first/",
        );
        posts
    }

    fn run(text: &str, generator: Generator) -> (String, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let body = Body {
            path: Path::new("a.md"),
            folder: "posts/",
            first_line: 5,
        };
        let out = expand(text, generator, &posts(), &body, &mut warnings).into_owned();
        (out, warnings)
    }

    #[test]
    fn hugo_refs_become_urls_and_other_shortcodes_go_with_a_warning() {
        let (out, warnings) = run("See [x]({{< ref \"first#intro\" >}}).\n{{< youtube abc >}}\n{{% note %}}*kept*{{% /note %}}\n", Generator::Hugo);
        assert_eq!(
            out,
            "See [x](https://example.org/blog/posts/first/#intro).\n\n*kept*\n"
        );
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].line, Some(6));
        assert!(
            warnings[0].message.contains("`{{< youtube"),
            "{}",
            warnings[0].message
        );
        let (out, _) = run("{{</* youtube abc */>}}", Generator::Hugo);
        assert_eq!(out, "{{< youtube abc >}}");
    }

    #[test]
    fn liquid_links_raw_and_highlight() {
        let (out, warnings) = run(
            "[a]({% post_url 2016-03-10-hello %}) ![i]({{ site.baseurl }}/i.png) {{ site.repository }}\n{% raw %}{{ x }}{% endraw %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% include x.html %}\n",
            Generator::Jekyll,
        );
        assert_eq!(
            out,
            "[a](https://example.org/blog/2016/03/10/hello.html) ![i](/blog/i.png) https://github.com/x/y\n{{ x }}\n\n```ruby\nputs 1\n```\n\n\n"
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn zola_shortcodes_go_and_other_braces_stay() {
        let (out, warnings) = run(
            "{{ youtube(id=\"x\") }}\n{% note() %}kept{% end %}\n{{ not a call }}\n",
            Generator::Zola,
        );
        assert_eq!(out, "\nkept\n{{ not a call }}\n");
        assert_eq!(warnings.len(), 2);
    }
}
