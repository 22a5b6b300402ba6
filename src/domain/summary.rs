//! The numbers printed summaries and screens share: counts by district, stage
//! and procedure, the district ranking (晾晒比拼), the city's targets from the
//! article, and a short fingerprint so two printed copies can be compared.

use super::project::{District, Procedure, Project, Stage};
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
}

impl Summary {
    pub fn of<'a>(projects: impl IntoIterator<Item = &'a Project>) -> Summary {
        let mut s = Summary::default();
        for p in projects {
            s.projects += 1;
            s.by_stage[p.stage.map_or(Stage::ALL.len(), |st| st as usize)] += 1;
            for (i, state) in p.procedures.iter().enumerate() {
                s.procedures_done[i] += usize::from(state.done);
            }
            s.started += usize::from(p.stage.is_some_and(|st| st >= Stage::Started));
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

/// One row of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub district: District,
    pub summary: Summary,
}

/// The districts compared by number, progress and quality. Rule, as printed:
/// more projects first; then a larger share started; then a larger share of
/// procedures done; then the article's order. (Uncovered projects and open
/// blockers join the rule when stewards and blockers exist.)
pub fn ranking(projects: &[&Project]) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = District::ALL
        .iter()
        .map(|d| Ranked {
            district: *d,
            summary: Summary::of(projects.iter().copied().filter(|p| p.district == Some(*d))),
        })
        .collect();
    rows.sort_by(|a, b| {
        let (x, y) = (&a.summary, &b.summary);
        y.projects
            .cmp(&x.projects)
            .then(
                y.started_share()
                    .partial_cmp(&x.started_share())
                    .unwrap_or(Ordering::Equal),
            )
            .then(
                y.procedures_share()
                    .partial_cmp(&x.procedures_share())
                    .unwrap_or(Ordering::Equal),
            )
            .then(a.district.cmp(&b.district))
    });
    rows
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
