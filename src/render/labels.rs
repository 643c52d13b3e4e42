//! The words around the text, in the channel's language.

/// Words shown around the body and on pages, in the channel's language.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Labels {
    pub(crate) source: &'static str,
    pub(crate) editor: &'static str,
    pub(crate) author: &'static str,
    pub(crate) updated: &'static str,
    pub(crate) categories: &'static str,
    pub(crate) subscribe: &'static str,
    pub(crate) latest: &'static str,
    /// The site's archive: every article.
    pub(crate) archive: &'static str,
    /// Links between pages of a list, and between articles.
    pub(crate) older: &'static str,
    pub(crate) newer: &'static str,
    pub(crate) previous: &'static str,
    pub(crate) next: &'static str,
    /// The RFC 5005 archive feeds that hold a list page's articles.
    pub(crate) archive_feeds: &'static str,
    /// Between names in a list.
    pub(crate) list_separator: &'static str,
}

impl Labels {
    pub(crate) fn for_language(language: Option<&str>) -> Labels {
        let chinese = language.is_some_and(|tag| {
            tag.eq_ignore_ascii_case("zh") || tag.to_ascii_lowercase().starts_with("zh-")
        });
        if chinese {
            Labels {
                source: "来源:",
                editor: "编辑:",
                author: "作者:",
                updated: "更新于 ",
                categories: "栏目",
                subscribe: "订阅",
                latest: "最新文章",
                archive: "全部文章",
                older: "较早的文章",
                newer: "较新的文章",
                previous: "上一篇",
                next: "下一篇",
                archive_feeds: "存档订阅",
                list_separator: "、",
            }
        } else {
            Labels {
                source: "Source: ",
                editor: "Editor: ",
                author: "By ",
                updated: "Updated ",
                categories: "Categories",
                subscribe: "Subscribe",
                latest: "Latest articles",
                archive: "All articles",
                older: "Older articles",
                newer: "Newer articles",
                previous: "Previous",
                next: "Next",
                archive_feeds: "These articles as archived feeds",
                list_separator: ", ",
            }
        }
    }
}
