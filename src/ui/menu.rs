//! One menu for both apps: the same places in the same order, each app
//! giving the links (the field app links into the office app and back). The
//! first places stay in the bar at every width; the rest are in the bar on
//! a wide screen and under 更多 on a narrow one, so a 375 px phone never
//! scrolls the menu sideways.

use crate::text as t;
use leptos::prelude::*;

/// Where the menu leads, in the menu's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Mine,
    List,
    Dashboard,
    Blockers,
    Agenda,
    Changes,
    People,
    Print,
    Ranking,
    New,
    Exchange,
    Sync,
}

impl Place {
    /// In the bar at every width: a steward's projects, the list, the
    /// overview, sync.
    fn always_shown(self) -> bool {
        matches!(
            self,
            Place::Mine | Place::List | Place::Dashboard | Place::Sync
        )
    }

    fn label(self) -> &'static str {
        match self {
            Place::Mine => t::NAV_MINE,
            Place::List => t::NAV_LIST,
            Place::Dashboard => t::NAV_DASHBOARD,
            Place::Blockers => t::NAV_BLOCKERS,
            Place::Agenda => t::NAV_AGENDA,
            Place::Changes => t::NAV_CHANGES,
            Place::People => t::NAV_PEOPLE,
            Place::Print => t::NAV_PRINT,
            Place::Ranking => t::NAV_RANKING,
            Place::New => t::NAV_NEW,
            Place::Exchange => t::NAV_EXCHANGE,
            Place::Sync => t::NAV_SYNC,
        }
    }
}

/// One place of the menu as an app links it: where to, whether the page
/// shown is it, whether it is offered now (我的项目 once 我是 is known).
#[derive(Clone, Copy)]
pub struct MenuItem {
    pub place: Place,
    pub href: Signal<String>,
    pub current: Signal<bool>,
    pub shown: Signal<bool>,
}

impl MenuItem {
    pub fn new(
        place: Place,
        href: impl Into<Signal<String>>,
        current: impl Into<Signal<bool>>,
    ) -> Self {
        MenuItem {
            place,
            href: href.into(),
            current: current.into(),
            shown: Signal::from(true),
        }
    }

    /// A place in the other app: never the page shown.
    pub fn away(place: Place, href: impl Into<Signal<String>>) -> Self {
        MenuItem::new(place, href, false)
    }

    pub fn shown_when(self, shown: impl Into<Signal<bool>>) -> Self {
        MenuItem {
            shown: shown.into(),
            ..self
        }
    }
}

fn link(item: MenuItem, class: &'static str) -> impl IntoView {
    let MenuItem {
        place,
        href,
        current,
        shown,
    } = item;
    view! {
        <Show when=move || shown.get()>
            <a href=move || href.get() class=class aria-current=move || current.get().then_some("page")
                data-testid=(place == Place::Mine).then_some("nav-mine")>{place.label()}</a>
        </Show>
    }
}

/// The menu: `items` in `Place` order.
#[component]
pub fn Menu(label: &'static str, items: Vec<MenuItem>) -> impl IntoView {
    let more = NodeRef::<leptos::html::Details>::new();
    // A link chosen under 更多 closes it.
    let close = move |_| {
        if let Some(details) = more.get_untracked() {
            details.set_open(false);
        }
    };
    let folded: Vec<MenuItem> = items
        .iter()
        .copied()
        .filter(|i| !i.place.always_shown())
        .collect();
    // 更多 names the page shown when it is one of the folded ones.
    let here: Vec<(Place, Signal<bool>)> = folded.iter().map(|i| (i.place, i.current)).collect();
    let at = Memo::new(move |_| {
        here.iter()
            .find(|(_, current)| current.get())
            .map(|(p, _)| p.label())
    });
    view! {
        <nav aria-label=label class="menu">
            {items
                .into_iter()
                .map(|i| link(i, if i.place.always_shown() { "" } else { "wide-only" }))
                .collect_view()}
            <details class="more narrow-only" node_ref=more>
                <summary class:here=move || at.with(Option::is_some)>
                    {t::NAV_MORE}
                    <span class="more-here">{move || at.get().map(|place| [" · ", place].concat())}</span>
                </summary>
                <div class="more-links" on:click=close>{folded.into_iter().map(|i| link(i, "")).collect_view()}</div>
            </details>
        </nav>
    }
}
