//! Finding projects: facets (AND across facets, OR within one), text search,
//! sorting, and the counts each facet value would match. All of it round-trips
//! through a URL query string so a copied link opens the same view.

use crate::domain::codec::{pairs, percent_decode, percent_encode};
use crate::domain::log::ledger::Ledger;
use crate::domain::rules::light::{light, LightRules};
use crate::domain::rules::quotas::gaps;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::{Cluster, District, Origin, Procedure, Project, Stage};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Value key of "not filled in" for facets whose field may be empty.
pub const NONE_KEY: &str = "none";
/// Value key of "has open blockers".
pub const OPEN_KEY: &str = "open";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    District,
    Stage,
    Cluster,
    List,
    /// Procedures not yet done.
    Missing,
    Origin,
    /// Who stewards it (person ids).
    Steward,
    /// The roles of its stewards.
    Role,
    /// Coverage gaps (see `people::Gap`).
    Gap,
    /// The traffic light on the index's day (see `workflow::light`).
    Light,
    /// Has open blockers ("open") or none.
    Blockers,
}

/// Finds a person of the roster by id.
pub type People<'a> = &'a dyn Fn(&str) -> Option<&'a Person>;

impl Facet {
    pub const ALL: [Facet; 11] = [
        Facet::District,
        Facet::Stage,
        Facet::Cluster,
        Facet::List,
        Facet::Missing,
        Facet::Origin,
        Facet::Steward,
        Facet::Role,
        Facet::Gap,
        Facet::Light,
        Facet::Blockers,
    ];

    /// Facets that exist only once the roster has people.
    pub fn needs_roster(self) -> bool {
        matches!(self, Facet::Steward | Facet::Role | Facet::Gap)
    }

    /// Short name in URLs.
    pub fn param(self) -> &'static str {
        match self {
            Facet::District => "d",
            Facet::Stage => "s",
            Facet::Cluster => "c",
            Facet::List => "l",
            Facet::Missing => "m",
            Facet::Origin => "o",
            Facet::Steward => "p",
            Facet::Role => "r",
            Facet::Gap => "g",
            Facet::Light => "t",
            Facet::Blockers => "b",
        }
    }

    /// Calls `f` with each value key the project has under this facet;
    /// `today` dates the traffic light.
    pub fn values<'a>(
        self,
        project: &'a Project,
        people: People<'a>,
        today: Date,
        mut f: impl FnMut(&str),
    ) {
        match self {
            Facet::District => f(project.district.map_or(NONE_KEY, District::key)),
            Facet::Stage => f(project.stage.map_or(NONE_KEY, Stage::key)),
            Facet::Cluster => f(project.cluster.map_or(NONE_KEY, Cluster::key)),
            Facet::List => f(list_key(project)),
            Facet::Missing => {
                for (procedure, state) in Procedure::ALL.iter().zip(project.procedures.iter()) {
                    if !state.done_by(today) {
                        f(procedure.key());
                    }
                }
            }
            Facet::Origin => f(origin_key(project.origin)),
            Facet::Steward => {
                let mut any = false;
                for id in project.stewards.iter().filter(|id| people(id).is_some()) {
                    any = true;
                    f(id);
                }
                if !any {
                    f(NONE_KEY);
                }
            }
            Facet::Role => {
                // Each role once, in the roster's order of roles.
                let has = |role| {
                    project
                        .stewards
                        .iter()
                        .any(|id| people(id).is_some_and(|p| p.details.role == role))
                };
                let mut any = false;
                for role in Role::ALL.into_iter().filter(|r| has(*r)) {
                    any = true;
                    f(role.key());
                }
                if !any {
                    f(NONE_KEY);
                }
            }
            Facet::Gap => {
                for gap in gaps(project, people) {
                    f(gap.key());
                }
            }
            Facet::Light => {
                let role = |id: &str| people(id).map(|p| p.details.role);
                f(light(project, &role, today, &LightRules::default()).0.key())
            }
            Facet::Blockers => f(if project.blockers.iter().any(|b| b.is_open()) {
                OPEN_KEY
            } else {
                NONE_KEY
            }),
        }
    }
}

pub fn list_key(project: &Project) -> &str {
    if project.list.is_empty() {
        NONE_KEY
    } else {
        &project.list
    }
}

pub fn origin_key(origin: Origin) -> &'static str {
    match origin {
        Origin::Registry => "registry",
        Origin::UserAdded => "user",
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    District,
    Stage,
    Name,
    Investment,
    Changed,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::District,
        SortKey::Stage,
        SortKey::Name,
        SortKey::Investment,
        SortKey::Changed,
    ];

    pub fn param(self) -> &'static str {
        match self {
            SortKey::District => "district",
            SortKey::Stage => "stage",
            SortKey::Name => "name",
            SortKey::Investment => "investment",
            SortKey::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub text: String,
    pub selected: BTreeMap<Facet, BTreeSet<String>>,
    /// Projects changed on or after this day (as the device's calendar sees it).
    pub changed_since: Option<Date>,
    pub sort: SortKey,
    pub descending: bool,
    /// 0-based page of the result list.
    pub page: usize,
}

impl Query {
    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        self.selected.get(&facet).is_some_and(|s| s.contains(value))
    }

    /// The query with one facet value switched on or off, back on the first page.
    pub fn toggled(&self, facet: Facet, value: &str) -> Query {
        let mut next = self.clone();
        let values = next.selected.entry(facet).or_default();
        if !values.remove(value) {
            values.insert(value.to_owned());
        }
        if values.is_empty() {
            next.selected.remove(&facet);
        }
        next.page = 0;
        next
    }

    /// The district the query narrows to, when it selects exactly one.
    pub fn only_district(&self) -> Option<District> {
        let chosen = self.selected.get(&Facet::District)?;
        match chosen.iter().collect::<Vec<_>>()[..] {
            [one] => District::from_key(one),
            _ => None,
        }
    }

    /// The list of one person's projects and nothing else (我的项目): only
    /// the steward facet, holding only them.
    pub fn is_projects_of(&self, person: &str) -> bool {
        self.text.trim().is_empty()
            && self.changed_since.is_none()
            && self.selected.len() == 1
            && self
                .selected
                .get(&Facet::Steward)
                .is_some_and(|s| s.len() == 1 && s.contains(person))
    }

    pub fn is_filtered(&self) -> bool {
        !self.text.trim().is_empty() || !self.selected.is_empty() || self.changed_since.is_some()
    }

    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.text.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.text)));
        }
        for (facet, values) in &self.selected {
            let joined: Vec<String> = values.iter().map(|v| percent_encode(v)).collect();
            parts.push(format!("{}={}", facet.param(), joined.join(",")));
        }
        if let Some(date) = self.changed_since {
            parts.push(format!("since={date}"));
        }
        if self.sort != SortKey::default() {
            parts.push(format!("sort={}", self.sort.param()));
        }
        if self.descending {
            parts.push("desc=1".to_owned());
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page + 1));
        }
        parts.join("&")
    }

    /// Unknown or malformed parameters are ignored: an old or hand-edited link
    /// still opens, showing what it can.
    pub fn from_query_string(text: &str) -> Query {
        let mut query = Query::default();
        // Values stay encoded until split: a facet value may hold an encoded comma.
        for (key, value) in pairs(text) {
            match key {
                "q" => query.text = percent_decode(value),
                "since" => query.changed_since = Date::parse(value),
                "sort" => {
                    query.sort = SortKey::ALL
                        .into_iter()
                        .find(|k| k.param() == value)
                        .unwrap_or_default()
                }
                "desc" => query.descending = value == "1",
                "page" => query.page = value.parse::<usize>().unwrap_or(1).saturating_sub(1),
                _ => {
                    if let Some(facet) = Facet::ALL.into_iter().find(|f| f.param() == key) {
                        // Inserted one by one: collecting into a BTreeSet
                        // sorts first, one more sort in the phone's download.
                        let mut values = BTreeSet::new();
                        for v in value.split(',').filter(|v| !v.is_empty()) {
                            values.insert(percent_decode(v));
                        }
                        if !values.is_empty() {
                            query.selected.insert(facet, values);
                        }
                    }
                }
            }
        }
        query
    }
}

/// What search looks at, lowercased once per project rather than per keystroke.
/// ASCII folding covers the Latin text people type (company names, "PVC");
/// Chinese has no case, and full Unicode case tables would cost the phone's download.
pub fn search_text(project: &Project) -> String {
    let district = project.district.map_or("", District::name);
    format!(
        "{}\n{}\n{}\n{}",
        project.name, project.owner, district, project.notes
    )
    .to_ascii_lowercase()
}

/// A search term that may be pinyin initials (see `FacetIndex::finds`).
fn latin_letters(term: &str) -> bool {
    term.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whitespace-separated terms, all required; Latin text matches case-insensitively.
pub fn search_terms(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect()
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// Indices into the project slice, in sorted order.
    pub matching: Vec<usize>,
    /// For each facet value: how many projects it would match given the other
    /// active filters. Values that would match none are absent.
    pub counts: BTreeMap<Facet, BTreeMap<String, usize>>,
}

const FACETS: usize = Facet::ALL.len();

/// Every project's facet values, numbered once per ledger change, so a query
/// compares small integers instead of strings.
pub struct FacetIndex {
    /// Per facet (in `Facet::ALL` order), its value keys; a key's position is its id.
    keys: [Vec<String>; FACETS],
    /// Per facet, every project's value ids back to back…
    ids: [Vec<u16>; FACETS],
    /// …and where each project's run starts (one more entry than projects).
    starts: [Vec<u32>; FACETS],
    /// Per project, `search_text`.
    search: Vec<String>,
    /// Per project, the pinyin initials of its name, when known (`with_name_initials`).
    initials: Vec<String>,
    version: u64,
    today: Date,
}

/// Two indexes built from the same ledger version on the same day are the same index.
impl PartialEq for FacetIndex {
    fn eq(&self, other: &FacetIndex) -> bool {
        self.version == other.version
            && self.today == other.today
            && self.search.len() == other.search.len()
    }
}

impl FacetIndex {
    pub fn new<'a>(
        projects: &[&'a Project],
        people: People<'a>,
        today: Date,
        version: u64,
    ) -> FacetIndex {
        let mut keys: [Vec<String>; FACETS] = Default::default();
        let mut ids: [Vec<u16>; FACETS] = Default::default();
        let mut starts: [Vec<u32>; FACETS] = Default::default();
        let mut numbering: [BTreeMap<String, u16>; FACETS] = Default::default();
        for project in projects {
            for (f, facet) in Facet::ALL.iter().enumerate() {
                starts[f].push(ids[f].len() as u32);
                let (keys, numbering, ids) = (&mut keys[f], &mut numbering[f], &mut ids[f]);
                facet.values(project, people, today, |v| {
                    let id = match numbering.get(v) {
                        Some(&id) => id,
                        None => {
                            let id = keys.len() as u16;
                            keys.push(v.to_owned());
                            numbering.insert(v.to_owned(), id);
                            id
                        }
                    };
                    ids.push(id);
                });
            }
        }
        for f in 0..FACETS {
            starts[f].push(ids[f].len() as u32);
        }
        let search = projects.iter().map(|p| search_text(p)).collect();
        FacetIndex {
            keys,
            ids,
            starts,
            search,
            initials: Vec::new(),
            version,
            today,
        }
    }

    /// Lets search find a project by its name's pinyin initials, one lowercase
    /// letter per Chinese character, in project order (the browser's collator
    /// knows the readings; see `ui::collation`).
    pub fn with_name_initials(mut self, initials: Vec<String>) -> FacetIndex {
        self.initials = initials;
        self
    }

    /// A term matches a project when its text holds the term, or when the term
    /// is Latin letters that are, in order, initials of the project's name:
    /// `hcmz` finds 海城华宇镁砖…. Either way a longer term matches fewer
    /// projects, which `narrows` relies on.
    fn finds(&self, project: usize, term: &str) -> bool {
        self.search[project].contains(term)
            || latin_letters(term)
                && self.initials.get(project).is_some_and(|initials| {
                    let mut rest = initials.bytes();
                    term.bytes().all(|b| rest.any(|i| i == b))
                })
    }

    /// Number of projects indexed.
    pub fn len(&self) -> usize {
        self.search.len()
    }

    pub fn is_empty(&self) -> bool {
        self.search.is_empty()
    }

    fn values(&self, facet: usize, project: usize) -> &[u16] {
        &self.ids[facet]
            [self.starts[facet][project] as usize..self.starts[facet][project + 1] as usize]
    }
}

/// Runs a query: the matching projects in order, and every facet value's count.
/// `changed_since_ms` is the start of the query's day in the device's time
/// zone; `name_order` compares two projects (by index) by name in the user's
/// collation (the app ranks names once with the browser's `Intl.Collator`).
pub fn run(
    projects: &[&Project],
    index: &FacetIndex,
    query: &Query,
    changed_since_ms: Option<i64>,
    name_order: &dyn Fn(usize, usize) -> Ordering,
) -> Results {
    Results {
        matching: matching(projects, index, query, changed_since_ms, name_order),
        counts: counts(projects, index, query, changed_since_ms),
    }
}

/// Just the facet counts: the list draws its rows first and fills these in
/// after the frame (see `ui::project_list`).
pub fn counts(
    projects: &[&Project],
    index: &FacetIndex,
    query: &Query,
    changed_since_ms: Option<i64>,
) -> Counts {
    scan(projects, index, query, changed_since_ms, None, None)
        .1
        .unwrap_or_default()
}

/// Just the matching projects, sorted: no per-value counting, so a keystroke
/// costs one pass of compares.
pub fn matching(
    projects: &[&Project],
    index: &FacetIndex,
    query: &Query,
    changed_since_ms: Option<i64>,
    name_order: &dyn Fn(usize, usize) -> Ordering,
) -> Vec<usize> {
    scan(
        projects,
        index,
        query,
        changed_since_ms,
        Some(name_order),
        None,
    )
    .0
}

/// Whether every project matching `narrower` also matches `wider`, in the same
/// order: same sort, no facet value or day that `wider` lacks, and each of
/// `wider`'s search terms inside one of `narrower`'s. Typing a character,
/// ticking a first value of a facet and unticking one of several all narrow.
pub fn narrows(narrower: &Query, wider: &Query) -> bool {
    let terms = search_terms(&narrower.text);
    narrower.sort == wider.sort
        && narrower.descending == wider.descending
        && match (wider.changed_since, narrower.changed_since) {
            (None, _) => true,
            (Some(w), Some(n)) => n >= w,
            (Some(_), None) => false,
        }
        && search_terms(&wider.text)
            .iter()
            .all(|w| terms.iter().any(|n| n.contains(w.as_str())))
        && wider.selected.iter().all(|(facet, values)| {
            narrower
                .selected
                .get(facet)
                .is_some_and(|n| n.is_subset(values))
        })
}

/// The last few answers of `matching`, for one index. A query found here costs
/// nothing (Backspace, a facet ticked back, another page); a query that
/// narrows one found here checks only that answer's projects, whose order it
/// keeps; any other scans every project.
#[derive(Default)]
pub struct RecentMatches {
    index: Option<(u64, Date, usize)>,
    /// Oldest first; queries kept with page 0, as the page changes no answer.
    answers: Vec<(Query, Vec<usize>)>,
}

impl RecentMatches {
    const KEEP: usize = 8;

    pub fn matching(
        &mut self,
        projects: &[&Project],
        index: &FacetIndex,
        query: &Query,
        changed_since_ms: Option<i64>,
        name_order: &dyn Fn(usize, usize) -> Ordering,
    ) -> Vec<usize> {
        let stamp = Some((index.version, index.today, index.len()));
        if self.index != stamp {
            self.index = stamp;
            self.answers.clear();
        }
        let query = Query {
            page: 0,
            ..query.clone()
        };
        if let Some(at) = self.answers.iter().position(|(q, _)| *q == query) {
            let answer = self.answers.remove(at);
            self.answers.push(answer);
        } else {
            let wider = self.answers.iter().rev().find(|(q, _)| narrows(&query, q));
            let answer = scan(
                projects,
                index,
                &query,
                changed_since_ms,
                Some(name_order),
                wider.map(|(_, m)| m.as_slice()),
            )
            .0;
            if self.answers.len() == Self::KEEP {
                self.answers.remove(0);
            }
            self.answers.push((query, answer));
        }
        self.answers
            .last()
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }
}

/// For each facet value: how many projects it would match given the other active filters.
pub type Counts = BTreeMap<Facet, BTreeMap<String, usize>>;

/// One pass: with `name_order`, the sorted matches; without, the counts.
/// `within`: only these projects, already in order (see `RecentMatches`).
fn scan(
    projects: &[&Project],
    index: &FacetIndex,
    query: &Query,
    changed_since_ms: Option<i64>,
    name_order: Option<&dyn Fn(usize, usize) -> Ordering>,
    within: Option<&[usize]>,
) -> (Vec<usize>, Option<Counts>) {
    let terms = search_terms(&query.text);
    let want_counts = name_order.is_none();
    // Per active facet, which value ids are chosen.
    let active: Vec<(usize, Vec<bool>)> = Facet::ALL
        .iter()
        .enumerate()
        .filter_map(|(f, facet)| {
            let chosen = query.selected.get(facet)?;
            Some((
                f,
                index.keys[f].iter().map(|k| chosen.contains(k)).collect(),
            ))
        })
        .collect();
    let mut counts: [Vec<usize>; FACETS] = std::array::from_fn(|f| {
        if want_counts {
            vec![0; index.keys[f].len()]
        } else {
            Vec::new()
        }
    });
    let mut matching = Vec::new();
    let every = 0..projects.len();
    let candidates: &mut dyn Iterator<Item = usize> = match within {
        Some(within) => &mut within.iter().copied(),
        None => &mut every.clone(),
    };
    for i in candidates {
        let project = projects[i];
        if !terms.iter().all(|t| index.finds(i, t)) {
            continue;
        }
        if let Some(since) = changed_since_ms {
            if project.changed_at.is_none_or(|at| at < since) {
                continue;
            }
        }
        if !want_counts {
            if active
                .iter()
                .all(|(f, chosen)| index.values(*f, i).iter().any(|&v| chosen[usize::from(v)]))
            {
                matching.push(i);
            }
            continue;
        }
        // A project counts towards a facet's values when it passes every *other* facet.
        let mut failed = 0u32;
        for (f, chosen) in &active {
            if !index.values(*f, i).iter().any(|&v| chosen[usize::from(v)]) {
                failed |= 1 << f;
            }
        }
        for (f, facet_counts) in counts.iter_mut().enumerate() {
            if failed & !(1 << f) == 0 {
                for &v in index.values(f, i) {
                    facet_counts[usize::from(v)] += 1;
                }
            }
        }
    }
    let Some(name_order) = name_order else {
        // Inserted one by one, not collected: see `from_query_string`.
        let mut named = Counts::new();
        for (facet, values) in Facet::ALL.iter().zip(counts) {
            let of_facet = named.entry(*facet).or_default();
            for (key, n) in index.keys[*facet as usize].iter().zip(values) {
                if n > 0 {
                    of_facet.insert(key.clone(), n);
                }
            }
        }
        return (Vec::new(), Some(named));
    };
    if within.is_some() {
        return (matching, None);
    }
    sort(
        &mut matching,
        projects,
        query.sort,
        query.descending,
        name_order,
    );
    (matching, None)
}

pub use crate::domain::order::sort_indices;

/// Stable sort; empty values always go last, whichever the direction.
pub fn sort(
    indices: &mut [usize],
    projects: &[&Project],
    key: SortKey,
    descending: bool,
    name_order: &dyn Fn(usize, usize) -> Ordering,
) {
    fn last_if_none<T: PartialOrd>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
                if descending {
                    o.reverse()
                } else {
                    o
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    sort_indices(indices, &|a, b| {
        let (pa, pb) = (projects[a], projects[b]);
        match key {
            SortKey::District => last_if_none(pa.district, pb.district, descending),
            SortKey::Stage => last_if_none(pa.stage, pb.stage, descending),
            SortKey::Investment => last_if_none(pa.investment_wan, pb.investment_wan, descending),
            SortKey::Changed => last_if_none(pa.changed_at, pb.changed_at, descending),
            SortKey::Name => {
                let o = name_order(a, b);
                if descending {
                    o.reverse()
                } else {
                    o
                }
            }
        }
    });
}

/// The projects a query selects, in its order, for printing and export: the
/// same `matching` the list uses (names sort in registry order here; the list ranks
/// them with the browser's collation). `name_initials` gives the pinyin
/// initials of names (see `FacetIndex::with_name_initials`); it is asked only
/// when a search term could match them.
pub fn select<'a>(
    ledger: &'a Ledger,
    query: &Query,
    changed_since_ms: Option<i64>,
    today: Date,
    name_initials: &dyn Fn(&[&str]) -> Vec<String>,
) -> Vec<&'a Project> {
    let projects: Vec<&Project> = ledger.projects().collect();
    let mut index = FacetIndex::new(&projects, &|id| ledger.person(id), today, ledger.version());
    if search_terms(&query.text).iter().any(|t| latin_letters(t)) {
        let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
        index = index.with_name_initials(name_initials(&names));
    }
    matching(&projects, &index, query, changed_since_ms, &|a, b| {
        a.cmp(&b)
    })
    .into_iter()
    .map(|i| projects[i])
    .collect()
}
