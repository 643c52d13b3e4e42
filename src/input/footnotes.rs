//! Footnotes that work in a feed reader: numbered references that link to
//! their notes, and notes that link back, gathered at the end of the body.
//!
//! pulldown-cmark leaves each note where it was written and links to it by
//! its label (`#note`), with no way back. Here notes are numbered in the
//! order they are first referred to, given local ids (`fn-1`, `fnref-1`)
//! that [`Anchors`](super::anchors::Anchors) makes entry-unique later, and
//! written after the body as an ordered list, each ending in back-links to
//! every place that refers to it.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// One note: its events, and how many places refer to it.
struct Note<'a> {
    events: Vec<Event<'a>>,
    number: Option<usize>,
    references: usize,
}

/// `events` with footnote references made links and the notes moved to a
/// list at the end. Unchanged when there are no footnotes.
pub(crate) fn footnotes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let (body, mut notes, labels) = split_notes(events);
    if notes.is_empty()
        && !body
            .iter()
            .any(|e| matches!(e, Event::FootnoteReference(_)))
    {
        return body;
    }
    let mut order = Vec::new();
    let mut out = number_references(body, &mut notes, &mut order);
    // Notes may refer to notes; those are numbered as they are met.
    let mut i = 0;
    while i < order.len() {
        let events = std::mem::take(&mut notes[order[i]].events);
        notes[order[i]].events = number_references(events, &mut notes, &mut order);
        i += 1;
    }
    // Notes nothing refers to are kept too, after the others.
    for label in labels {
        if notes[label].number.is_none() {
            order.push(label);
            notes[label].number = Some(order.len());
        }
    }
    if order.is_empty() {
        return out;
    }
    out.push(Event::Html("<section class=\"footnotes\">\n<ol>\n".into()));
    for index in order {
        let note = &mut notes[index];
        let number = note.number.expect("every listed note is numbered");
        out.push(Event::Html(format!("<li id=\"fn-{number}\">\n").into()));
        let mut events = std::mem::take(&mut note.events);
        let back = back_links(number, note.references);
        if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
            events.insert(events.len() - 1, Event::Html(back.into()));
        } else if !back.is_empty() {
            events.push(Event::Html(
                format!("<p>{}</p>\n", back.trim_start()).into(),
            ));
        }
        out.extend(events);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</section>\n".into()));
    out
}

/// The body without its notes; the notes, indexed; and each note's index
/// in the order the notes were written.
fn split_notes(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, NoteTable<'_>, Vec<usize>) {
    let mut body = Vec::with_capacity(events.len());
    let mut notes = NoteTable::default();
    let mut written = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (note, depth)
    for event in events {
        if let Some((note, depth)) = &mut open {
            match &event {
                Event::Start(_) => *depth += 1,
                Event::End(TagEnd::FootnoteDefinition) if *depth == 0 => {
                    open = None;
                    continue;
                }
                Event::End(_) => *depth -= 1,
                _ => {}
            }
            notes.notes[*note].events.push(event);
            continue;
        }
        if let Event::Start(Tag::FootnoteDefinition(label)) = &event {
            let note = notes.index(label);
            written.push(note);
            open = Some((note, 0));
        } else {
            body.push(event);
        }
    }
    (body, notes, written)
}

/// Notes by label (labels match without regard to case, as in GFM).
#[derive(Default)]
struct NoteTable<'a> {
    notes: Vec<Note<'a>>,
    by_label: HashMap<String, usize>,
}

impl<'a> NoteTable<'a> {
    fn index(&mut self, label: &str) -> usize {
        let count = self.notes.len();
        let index = *self.by_label.entry(label.to_lowercase()).or_insert(count);
        if index == count {
            self.notes.push(Note {
                events: Vec::new(),
                number: None,
                references: 0,
            });
        }
        index
    }

    fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }
}

impl<'a> std::ops::Index<usize> for NoteTable<'a> {
    type Output = Note<'a>;
    fn index(&self, index: usize) -> &Note<'a> {
        &self.notes[index]
    }
}

impl std::ops::IndexMut<usize> for NoteTable<'_> {
    fn index_mut(&mut self, index: usize) -> &mut Self::Output {
        &mut self.notes[index]
    }
}

/// `events` with each reference to a known note made a numbered link;
/// notes met for the first time are appended to `order`. A reference to no
/// note stays the text it was written as.
fn number_references<'a>(
    events: Vec<Event<'a>>,
    notes: &mut NoteTable<'a>,
    order: &mut Vec<usize>,
) -> Vec<Event<'a>> {
    events
        .into_iter()
        .map(|event| {
            let Event::FootnoteReference(label) = &event else {
                return event;
            };
            let Some(&index) = notes.by_label.get(&label.to_lowercase()) else {
                return Event::Text(CowStr::from(format!("[^{label}]")));
            };
            let note = &mut notes[index];
            let number = *note.number.get_or_insert_with(|| {
                order.push(index);
                order.len()
            });
            note.references += 1;
            let id = reference_id(number, note.references);
            Event::Html(
                format!("<sup><a href=\"#fn-{number}\" id=\"{id}\">{number}</a></sup>").into(),
            )
        })
        .collect()
}

/// The id of the `nth` reference to note `number`.
fn reference_id(number: usize, nth: usize) -> String {
    if nth == 1 {
        format!("fnref-{number}")
    } else {
        format!("fnref-{number}-{nth}")
    }
}

/// Links back to each of the `references` places that refer to a note.
fn back_links(number: usize, references: usize) -> String {
    (1..=references)
        .map(|nth| {
            let mark = if nth == 1 {
                String::new()
            } else {
                format!("<sup>{nth}</sup>")
            };
            format!(
                " <a href=\"#{}\" title=\"back\">\u{21a9}\u{fe0e}{mark}</a>",
                reference_id(number, nth)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{html::push_html, Options, Parser};

    use super::*;

    fn html(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES).collect();
        let mut html = String::new();
        push_html(&mut html, footnotes(events).into_iter());
        html
    }

    #[test]
    fn notes_are_numbered_by_first_reference_and_link_both_ways() {
        assert_eq!(
            html("b[^b] a[^a] b again[^B]\n\n[^a]: Note a.\n\n[^b]: Note b.\n"),
            "<p>b<sup><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> \
             a<sup><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup> \
             b again<sup><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup></p>\n\
             <section class=\"footnotes\">\n<ol>\n\
             <li id=\"fn-1\">\n<p>Note b. <a href=\"#fnref-1\" title=\"back\">\u{21a9}\u{fe0e}</a> \
             <a href=\"#fnref-1-2\" title=\"back\">\u{21a9}\u{fe0e}<sup>2</sup></a></p>\n</li>\n\
             <li id=\"fn-2\">\n<p>Note a. <a href=\"#fnref-2\" title=\"back\">\u{21a9}\u{fe0e}</a></p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }

    #[test]
    fn unreferenced_notes_are_kept_and_notes_may_nest_blocks() {
        let out = html("x[^1]\n\n[^1]: > quoted\n\n[^2]: lonely\n");
        assert!(out.contains("<li id=\"fn-1\">\n<blockquote>"), "{out}");
        assert!(out.contains("<p><a href=\"#fnref-1\""), "{out}");
        assert!(out.contains("<li id=\"fn-2\">\n<p>lonely</p>"), "{out}");
    }

    #[test]
    fn a_body_without_notes_is_unchanged() {
        assert_eq!(html("plain *text*\n"), "<p>plain <em>text</em></p>\n");
    }
}
