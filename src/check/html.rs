//! HTML inside feed content, read by html5ever's tokenizer: a `<` in text
//! or code that shows markup (`&lt;img src="a.jpg"&gt;`) is text, never a
//! tag, so it never draws a finding.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The `href` and `src` values of `html` that are not absolute URLs (nor a
/// bare `#fragment`), in order.
pub(super) fn relative_urls(html: &str) -> Vec<String> {
    let sink = Urls::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let found = tokenizer.sink.found.into_inner();
    found
        .into_iter()
        .filter(|value| !value.is_empty() && !value.starts_with('#'))
        .filter(|value| url::Url::parse(value).is_err())
        .collect()
}

#[derive(Default)]
struct Urls {
    found: RefCell<Vec<String>>,
}

impl TokenSink for Urls {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let mut found = self.found.borrow_mut();
        for attribute in &tag.attrs {
            if matches!(&*attribute.name.local, "href" | "src") {
                found.push(attribute.value.trim().to_string());
            }
        }
        // The tree builder would switch the tokenizer for these elements'
        // text; without it, the sink must.
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_of_attributes_only() {
        assert_eq!(
            relative_urls(
                r##"<p><a href="a.html">a</a> <img src='b.png'> <a href="#top">t</a>
<a href="https://example.org/">x</a> <img src=c.jpg></p>"##
            ),
            ["a.html", "b.png", "c.jpg"]
        );
    }

    #[test]
    fn markup_shown_as_text_or_code_is_not_markup() {
        let html = r#"<p>Use <code>&lt;img src="photo.jpg"&gt;</code></p>
<pre><code class="language-html">&lt;a href="x.html"&gt;x&lt;/a&gt;</code></pre>
<p>src="y.jpg" href="z.html"</p><script>var a = '<img src="s.png">';</script>"#;
        assert!(relative_urls(html).is_empty(), "{:?}", relative_urls(html));
    }
}
