//! The numbers printed summaries and screens share: counts by district, stage
//! and procedure, the district ranking (晾晒比拼), the city's targets from the
//! article, and a short fingerprint so two printed copies can be compared.

use crate::domain::log::ledger::Ledger;
use crate::domain::rules::light::LightRules;
use crate::domain::rules::quotas::{Quota, QuotaRules};
use crate::domain::vocab::date::Date;
use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::{by_district, District, Procedure, Project, Stage, KEY_LIST};
use std::cmp::Ordering;

/// The city's targets for the year, as the article states them.
pub mod targets {
    /// 开复工5000万元以上项目.
    pub const PROJECTS_OVER_50M_STARTED_OR_RESUMED: usize = 700;
    /// 重点项目开工百日攻坚.
    pub const CAMPAIGN_KEY_PROJECTS: usize = 150;
    /// 竣工投产.
    pub const COMPLETED_AND_PRODUCING: usize = 188;
    /// 固定资产投资, 亿元 (500亿元).
    pub const FIXED_ASSET_INVESTMENT_YI: u32 = 500;
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub projects: usize,
    /// Indexed like `Stage::ALL`, then one more for "not filled in".
    pub by_stage: [usize; 10],
    /// Indexed like `Procedure::ALL`: how many projects have it done.
    pub procedures_done: [usize; 6],
    /// At stage 开工 or later.
    pub started: usize,
    /// With no steward at all.
    pub uncovered: usize,
    /// Blockers not yet resolved, over all the projects.
    pub open_blockers: usize,
}

impl Summary {
    pub fn of<'a>(projects: impl IntoIterator<Item = &'a Project>, today: Date) -> Summary {
        let mut s = Summary::default();
        for p in projects {
            s.projects += 1;
            s.by_stage[p.stage.map_or(Stage::ALL.len(), |st| st as usize)] += 1;
            for (i, state) in p.procedures.iter().enumerate() {
                s.procedures_done[i] += usize::from(state.done_by(today));
            }
            s.started += usize::from(p.stage.is_some_and(|st| st >= Stage::Started));
            s.uncovered += usize::from(p.stewards.is_empty());
            s.open_blockers += p.blockers.iter().filter(|b| b.is_open()).count();
        }
        s
    }

    /// Share of projects started, 0..=1 (0 when there are none).
    pub fn started_share(&self) -> f64 {
        ratio(self.started, self.projects)
    }

    /// Share of all procedure slots (6 per project) done, 0..=1.
    pub fn procedures_share(&self) -> f64 {
        ratio(
            self.procedures_done.iter().sum(),
            self.projects * Procedure::ALL.len(),
        )
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The ranking's weights, in points out of 100. The article names the
/// campaign's aims (start, procedures, 包保) but no weighting: these are this
/// app's choice, printed with the rule (`text::RANKING_RULE`).
pub const WEIGHT_STARTED: f64 = 40.0;
pub const WEIGHT_PROCEDURES: f64 = 30.0;
pub const WEIGHT_STEWARDED: f64 = 20.0;
pub const WEIGHT_NO_OVERDUE: f64 = 10.0;
/// "No overdue blockers" earns points only where someone is looking: a
/// district with a visit or dispatch recorded within this many days.
pub const RECENT_RECORD_DAYS: i64 = 30;

/// One row of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub district: District,
    pub summary: Summary,
    /// Open blockers older than the light rules allow.
    pub overdue_blockers: usize,
    /// A visit or dispatch within `RECENT_RECORD_DAYS` on one of its
    /// projects: without one, no blocker is known overdue because none is
    /// recorded, and "no overdue blockers" earns nothing (无记录).
    pub recorded: bool,
    /// Points out of 100; `None` for a district with no project here.
    pub score: Option<f64>,
}

impl Ranked {
    /// The share of projects with at least one steward.
    pub fn stewarded_share(&self) -> f64 {
        let s = &self.summary;
        ratio(s.projects - s.uncovered, s.projects)
    }
}

/// The districts compared by rates, not counts, so neither a long list in
/// the newspaper nor logging fewer blockers ranks a district higher: the
/// share started, the share of procedures done, the share with a steward,
/// and blockers *overdue* per project (capped at one), weighted as above;
/// the last only for a district with recent records (`Ranked::recorded`).
/// Equal points share a place (`places`) and are listed in the article's
/// order; districts with no project come last. Projects whose district the
/// article does not state are ranked in no district (`unranked` lists them).
pub fn ranking(projects: &[&Project], today: Date, rules: &LightRules) -> Vec<Ranked> {
    let since = today.days_since_epoch() - RECENT_RECORD_DAYS;
    let recent = |p: &Project| {
        p.records
            .iter()
            .any(|(_, r)| r.date.days_since_epoch() >= since && r.date <= today)
    };
    let rows: Vec<Ranked> = District::ALL
        .iter()
        .map(|d| {
            let mine = || projects.iter().copied().filter(|p| p.district == Some(*d));
            let summary = Summary::of(mine(), today);
            let overdue_blockers = mine().map(|p| overdue_blockers(p, today, rules)).sum();
            let mut row = Ranked {
                district: *d,
                summary,
                overdue_blockers,
                recorded: mine().any(recent),
                score: None,
            };
            let n = row.summary.projects;
            if n > 0 {
                let on_time = if row.recorded {
                    1.0 - (overdue_blockers as f64 / n as f64).min(1.0)
                } else {
                    0.0
                };
                row.score = Some(
                    WEIGHT_STARTED * row.summary.started_share()
                        + WEIGHT_PROCEDURES * row.summary.procedures_share()
                        + WEIGHT_STEWARDED * row.stewarded_share()
                        + WEIGHT_NO_OVERDUE * on_time,
                );
            }
            row
        })
        .collect();
    let points = |r: &Ranked| r.score.unwrap_or(-1.0);
    crate::domain::order::sorted(rows, &|a, b| {
        points(b)
            .partial_cmp(&points(a))
            .unwrap_or(Ordering::Equal)
            .then(a.district.cmp(&b.district))
    })
}

/// Each row's place (from 1): rows with the same points as printed (in
/// tenths) share the place of the first of them, and the next row's place
/// counts every row above it (1, 2, 2, 4): no order is read into a tie.
/// Districts with no project share the last place.
pub fn places(rows: &[Ranked]) -> Vec<usize> {
    let tenths = |r: &Ranked| r.score.map(|x| (x * 10.0).round() as i64);
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let place = match i.checked_sub(1) {
            Some(before) if tenths(&rows[before]) == tenths(row) => out[before],
            _ => i + 1,
        };
        out.push(place);
    }
    out
}

/// Whether a row shares its place with another (并列).
pub fn tied(places: &[usize], i: usize) -> bool {
    places.iter().filter(|p| **p == places[i]).count() > 1
}

/// A district's place and points now against an earlier ranking: how many
/// places it rose (negative: fell) and how many tenths of a point it gained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Movement {
    pub earlier_place: usize,
    pub places_up: i64,
    pub tenths_gained: Option<i64>,
}

/// For each row of `now` (in its order), its movement against `earlier`
/// (both from `ranking`).
pub fn movements(now: &[Ranked], earlier: &[Ranked]) -> Vec<Option<Movement>> {
    let tenths = |r: &Ranked| r.score.map(|x| (x * 10.0).round() as i64);
    let (places_now, places_then) = (places(now), places(earlier));
    now.iter()
        .enumerate()
        .map(|(i, row)| {
            let (before, old) = earlier
                .iter()
                .enumerate()
                .find(|(_, r)| r.district == row.district)?;
            Some(Movement {
                earlier_place: places_then[before],
                places_up: places_then[before] as i64 - places_now[i] as i64,
                tenths_gained: tenths(row).zip(tenths(old)).map(|(a, b)| a - b),
            })
        })
        .collect()
}

/// The last day of the quarter before the one `date` is in: what a quarterly
/// inspection compares with.
pub fn previous_quarter_end(date: Date) -> Date {
    let first_month = (date.month() - 1) / 3 * 3 + 1;
    let quarter_start = Date::new(date.year(), first_month, 1).expect("a valid first of month");
    Date::from_days_since_epoch(quarter_start.days_since_epoch() - 1)
}

/// Open blockers of a project past their deadline, or, with none set,
/// older than the light rules allow.
pub fn overdue_blockers(p: &Project, today: Date, rules: &LightRules) -> usize {
    p.blockers
        .iter()
        .filter(|b| crate::domain::rules::light::is_overdue(b, today, rules))
        .count()
}

/// The projects no district's row counts: the article does not say where.
pub fn unranked<'a>(projects: &[&'a Project]) -> Vec<&'a Project> {
    projects
        .iter()
        .copied()
        .filter(|p| p.district.is_none())
        .collect()
}

/// A short, stable fingerprint of what a summary shows (FNV-1a over each
/// project's id, stage and procedures), so two printed copies can be compared.
pub fn fingerprint<'a>(projects: impl IntoIterator<Item = &'a Project>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for p in projects {
        eat(p.id.as_bytes());
        eat(&[p.stage.map_or(255, |s| s as u8)]);
        for state in &p.procedures {
            eat(&[u8::from(state.done)]);
            eat(state
                .date
                .map(|d| d.to_string())
                .unwrap_or_default()
                .as_bytes());
        }
        eat(b"\n");
    }
    format!("{:08x}", hash >> 32)
}

/// A share 0..=1 as a whole percentage, rounded half up, in integer arithmetic.
pub fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (whole * 2)
    }
}

/// Who stewards a project, by slot: the lead city leader, district leaders
/// (main and other members), and the service team with its responsible member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slots<'a> {
    pub city_leader: Option<&'a Person>,
    pub district_leaders: Vec<&'a Person>,
    /// Each member, and whether they are the responsible one.
    pub service_team: Vec<(&'a Person, bool)>,
}

pub fn slots<'a>(ledger: &'a Ledger, project: &Project) -> Slots<'a> {
    let mut slots = Slots::default();
    for person in project.stewards.iter().filter_map(|id| ledger.person(id)) {
        match person.details.role {
            Role::CityLeader => slots.city_leader = slots.city_leader.or(Some(person)),
            Role::ServiceTeam => slots.service_team.push((
                person,
                project.responsible.as_deref() == Some(person.id.as_str()),
            )),
            _ => slots.district_leaders.push(person),
        }
    }
    slots
}

/// The procedures a project has not done, in checklist order.
pub fn missing_procedures(project: &Project, today: Date) -> Vec<Procedure> {
    Procedure::ALL
        .iter()
        .copied()
        .filter(|x| !project.procedure(*x).done_by(today))
        .collect()
}

/// One steward as a district's summary lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct StewardLine<'a> {
    pub person: &'a Person,
    /// Projects of this district they steward (of those printed).
    pub here: usize,
    /// All their projects, which is what the quota counts.
    pub total: usize,
    pub quota: Quota,
}

/// One district's printed summary.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictSheet<'a> {
    /// `None`: the projects whose district the article does not state.
    pub district: Option<District>,
    pub summary: Summary,
    pub fingerprint: String,
    pub projects: Vec<&'a Project>,
    /// Everyone who stewards a project here, and the district's own leaders
    /// even with none (a main leader with 0 is under quota and must show).
    pub stewards: Vec<StewardLine<'a>>,
}

/// One sheet per district that has projects among `projects`, in the article's order.
pub fn district_sheets<'a>(
    ledger: &'a Ledger,
    projects: &[&'a Project],
    rules: &QuotaRules,
    today: Date,
) -> Vec<DistrictSheet<'a>> {
    by_district(projects.iter().copied())
        .into_iter()
        .filter(|(_, group)| !group.is_empty())
        .map(|(district, group)| {
            let stewards = ledger
                .people()
                .filter_map(|person| {
                    let here = group
                        .iter()
                        .filter(|p| p.stewards.contains(&person.id))
                        .count();
                    let own = district.is_some()
                        && person.details.district == district
                        && person.details.role.is_district_leader();
                    (here > 0 || own).then(|| {
                        let total = ledger.projects_of(&person.id).count();
                        StewardLine {
                            person,
                            here,
                            total,
                            quota: rules.check(person.details.role, total),
                        }
                    })
                })
                .collect();
            DistrictSheet {
                district,
                summary: Summary::of(group.iter().copied(), today),
                fingerprint: fingerprint(group.iter().copied()),
                projects: group,
                stewards,
            }
        })
        .collect()
}

/// The article's 700-project target counts projects of 50 million yuan or more (5000 万元).
pub const LARGE_PROJECT_WAN: f64 = 5000.0;

/// What the ledger holds next to each of the article's city targets. The
/// ledger is a part of the city's list, and the printout says so.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CityFigures {
    pub projects: usize,
    /// Started (开工 or later) with an investment of 5000万元 or more filled in.
    pub started_over_50m: usize,
    /// Projects whose investment is not filled in (so cannot count towards 5000万).
    pub investment_unknown: usize,
    /// From the article's list of key social-investment projects (the 100-day campaign's pool).
    pub key_listed: usize,
    pub key_listed_started: usize,
    /// At 投产 or 达产.
    pub producing: usize,
    /// Sum of filled-in investments, 万元.
    pub investment_wan: f64,
}

pub fn city_figures<'a>(projects: impl IntoIterator<Item = &'a Project>) -> CityFigures {
    let mut f = CityFigures::default();
    for p in projects {
        let started = p.stage.is_some_and(|s| s >= Stage::Started);
        f.projects += 1;
        match p.investment_wan {
            Some(wan) => {
                f.investment_wan += wan;
                f.started_over_50m += usize::from(started && wan >= LARGE_PROJECT_WAN);
            }
            None => f.investment_unknown += 1,
        }
        if p.list == KEY_LIST {
            f.key_listed += 1;
            f.key_listed_started += usize::from(started);
        }
        f.producing += usize::from(p.stage.is_some_and(|s| s >= Stage::Producing));
    }
    f
}
