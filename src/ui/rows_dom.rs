//! The list's rows, written straight into the DOM. With `erase_components` a
//! Leptos view rebuild removes and re-sets every attribute of every row, which
//! made rows most of a keystroke's work; `RowsDom` keeps its row elements
//! across pages and writes only the text and attributes that differ, always as
//! text (`set_text_content`, `set_attribute`), never as HTML. It is an effect
//! of the page's rows, so data still flows one way into it.

use super::routes::Route;
use crate::domain::light::Light;
use crate::text as t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// One group of rows: its heading (district name and count) when sorted by district.
pub(super) type RowGroup = (Option<(String, usize)>, Vec<RowText>);

/// A group in the DOM: its outer element, its list, and its heading's name text and count.
type GroupDom = (
    web_sys::Element,
    web_sys::Element,
    Option<(web_sys::Node, web_sys::Element)>,
);

/// What one row shows.
pub(super) struct RowText {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) light: Light,
    pub(super) stage: &'static str,
    pub(super) staged: bool,
    pub(super) facts: String,
    pub(super) selected: bool,
}

/// The rows in the DOM and what each shows. Groups are `<section class="district">`
/// with a heading when sorted by district, else one bare list; rows are kept
/// across pages and rewritten in place.
#[derive(Default)]
pub(super) struct RowsDom {
    grouped: bool,
    groups: Vec<GroupDom>,
    rows: Vec<RowDom>,
}

struct RowDom {
    li: web_sys::Element,
    check: HtmlInputElement,
    link: web_sys::Element,
    name: web_sys::Element,
    light: web_sys::Element,
    chip: web_sys::Element,
    facts: web_sys::Element,
    /// What it shows, and in which group at which position.
    shows: Option<RowText>,
    at: Option<(usize, usize)>,
}

fn element(tag: &str, class: &str) -> web_sys::Element {
    let e = document().create_element(tag).expect("a valid tag");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

fn appended(parent: &web_sys::Element, child: web_sys::Element) -> web_sys::Element {
    let _ = parent.append_child(&child);
    child
}

impl RowDom {
    /// `<li class="row-item"><input class="select"><a class="row"><span class="row-name">
    /// <span class="row-meta">light, chip, facts</span></a></li>`
    fn new() -> RowDom {
        let li = element("li", "row-item");
        let check: HtmlInputElement = appended(&li, element("input", "select")).unchecked_into();
        check.set_type("checkbox");
        let link = appended(&li, element("a", "row"));
        let name = appended(&link, element("span", "row-name"));
        let meta = appended(&link, element("span", "row-meta"));
        let light = appended(&meta, element("span", ""));
        let _ = light.set_attribute("role", "img");
        RowDom {
            chip: appended(&meta, element("span", "")),
            facts: appended(&meta, element("span", "")),
            li,
            check,
            link,
            name,
            light,
            shows: None,
            at: None,
        }
    }

    /// Writes what differs from what it shows. User text goes in as text only.
    fn show(&mut self, row: RowText) {
        let old = self.shows.replace(row);
        let (old, row) = (old.as_ref(), self.shows.as_ref().expect("just set"));
        if old.map(|o| &o.id) != Some(&row.id) {
            let _ = self.check.set_attribute("data-id", &row.id);
            let _ = self
                .link
                .set_attribute("href", &Route::Project(row.id.clone()).to_hash());
            let _ = self.link.set_attribute("data-project", &row.id);
        }
        if old.map(|o| &o.name) != Some(&row.name) {
            self.name.set_text_content(Some(&row.name));
            let label = format!("{} {}", t::SELECT_PROJECT, row.name);
            let _ = self.check.set_attribute("aria-label", &label);
        }
        if old.map(|o| o.light) != Some(row.light) {
            self.light
                .set_class_name(&format!("light {}", row.light.key()));
            let _ = self.light.set_attribute("aria-label", row.light.name());
        }
        if old.map(|o| o.stage) != Some(row.stage) {
            self.chip.set_text_content(Some(row.stage));
            self.chip
                .set_class_name(if row.staged { "chip" } else { "chip empty" });
        }
        if old.map(|o| &o.facts) != Some(&row.facts) {
            self.facts.set_text_content(Some(&row.facts));
        }
        // The box may have been ticked by hand since: compare with the DOM.
        if self.check.checked() != row.selected {
            self.check.set_checked(row.selected);
        }
    }
}

impl RowsDom {
    pub(super) fn draw(&mut self, results: &web_sys::Element, groups: Vec<RowGroup>) {
        let grouped = groups.first().is_some_and(|(h, _)| h.is_some());
        if grouped != self.grouped {
            for (outer, ..) in self.groups.drain(..) {
                outer.remove();
            }
            self.grouped = grouped;
        }
        while self.groups.len() > groups.len() {
            if let Some((outer, ..)) = self.groups.pop() {
                outer.remove();
            }
        }
        let mut j = 0;
        for (k, (heading, rows)) in groups.into_iter().enumerate() {
            let mut fresh = false;
            if k == self.groups.len() {
                fresh = true;
                self.groups.push(if grouped {
                    let section = appended(results, element("section", "district"));
                    let h2 = appended(&section, element("h2", ""));
                    let name = document().create_text_node("");
                    let _ = h2.append_child(&name);
                    let n = appended(&h2, element("span", "n"));
                    let list = appended(&section, element("ul", "rows"));
                    (section, list, Some((name.into(), n)))
                } else {
                    let list = appended(results, element("ul", "rows"));
                    (list.clone(), list, None)
                });
            }
            let (_, list, heading_dom) = &self.groups[k];
            if let (Some((name, n)), Some((district, count))) = (heading_dom, heading) {
                if name.node_value().as_deref() != Some(district.as_str()) {
                    name.set_node_value(Some(&district));
                }
                let count = count.to_string();
                if n.text_content().as_deref() != Some(count.as_str()) {
                    n.set_text_content(Some(&count));
                }
            }
            // Rows already in place stay; from the first that is not, each is
            // appended, which keeps the order.
            for (position, row) in rows.into_iter().enumerate() {
                if j == self.rows.len() {
                    self.rows.push(RowDom::new());
                }
                let dom = &mut self.rows[j];
                dom.show(row);
                if fresh || dom.at != Some((k, position)) {
                    fresh = true;
                    let _ = list.append_child(&dom.li);
                    dom.at = Some((k, position));
                }
                j += 1;
            }
        }
        for dom in &mut self.rows[j..] {
            dom.li.remove();
            dom.at = None;
        }
    }
}
