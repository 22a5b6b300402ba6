//! The 100-day start campaign (开工百日攻坚): its clock and which projects belong to it.

use crate::domain::rules::light::is_started;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::CampaignSettings;
use crate::domain::vocab::project::{Project, KEY_LIST};

impl CampaignSettings {
    /// The last day of the campaign (day `days`, counting the start as day 1).
    pub fn last_day(&self) -> Date {
        Date::from_days_since_epoch(self.start.days_since_epoch() + i64::from(self.days) - 1)
    }

    /// Days left, today included: the whole length up to the first day, 1 on
    /// the last day, 0 after it.
    pub fn days_left(&self, today: Date) -> i64 {
        let last = self.last_day().days_since_epoch();
        let from = today.days_since_epoch().max(self.start.days_since_epoch());
        (last - from + 1).clamp(0, i64::from(self.days))
    }

    pub fn has_ended(&self, today: Date) -> bool {
        today > self.last_day()
    }
}

/// Whether a project belongs to the campaign: its own setting, else whether it
/// is on the article's list of key social-investment projects.
pub fn in_campaign(project: &Project) -> bool {
    project.in_campaign.unwrap_or(project.list == KEY_LIST)
}

#[derive(Clone, Debug, PartialEq)]
pub struct CampaignProgress<'a> {
    pub projects: usize,
    pub started: usize,
    /// Not yet started, by planned start (unknown dates last), then registry order.
    pub waiting: Vec<&'a Project>,
}

pub fn campaign_progress<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
) -> CampaignProgress<'a> {
    let mut progress = CampaignProgress {
        projects: 0,
        started: 0,
        waiting: Vec::new(),
    };
    for p in projects.into_iter().filter(|p| in_campaign(p)) {
        progress.projects += 1;
        if is_started(p) {
            progress.started += 1;
        } else {
            progress.waiting.push(p);
        }
    }
    let key = |p: &&Project| (p.planned_start.is_none(), p.planned_start);
    progress.waiting =
        crate::domain::order::sorted(std::mem::take(&mut progress.waiting), &|a, b| {
            key(a).cmp(&key(b))
        });
    progress
}
