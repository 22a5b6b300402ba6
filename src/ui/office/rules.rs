//! The rules page: the traffic light's rules and where their numbers come from.

use crate::domain::light::{Implausible, Light, LightRules};
use crate::text as t;
use crate::ui::{today, Store};
use leptos::prelude::*;

/// The traffic light's rules and where their numbers come from.
#[component]
pub fn Rules() -> impl IntoView {
    let r = LightRules::default();
    let store = expect_context::<Store>();
    // The campaign as this ledger has it, on today's date: the same clock as the dashboard's.
    let clock = move || {
        let (c, day) = (store.ledger().with(|l| l.campaign()), today());
        t::campaign_clock(c.start, c.days, c.days_left(day), c.has_ended(day))
    };
    view! {
        <h1 class="page-title">{t::RULES_HEADING}</h1>
        <section class="card rules">
            <h2><span class="light red"></span>{Light::Red.name()}</h2>
            <ul>
                <li>{t::rule_late(r.late_start_days)}</li>
                <li>{t::rule_blocker(r.district_blocker_days, r.city_blocker_days)}</li>
            </ul>
            <h2><span class="light yellow"></span>{Light::Yellow.name()}</h2>
            <ul>
                <li>{t::rule_cadence()}</li>
                <li>{t::rule_procedures(r.procedure_due_days)}</li>
                <li data-testid="rule-missed">{t::rule_missed(crate::domain::light::MISSED_SHOWN_DAYS)}</li>
                // Plausibility: warnings, never refusals; the edit is kept as entered.
                {Implausible::ALL.iter().map(|x| view! { <li data-testid="rule-plausibility">{t::implausible(*x)}{t::RULE_PLAUSIBILITY_NOTE}</li> }).collect_view()}
            </ul>
            <h2><span class="light unknown"></span>{Light::Unknown.name()}</h2>
            <p data-testid="rule-unknown">{t::RULE_UNKNOWN}</p>
            <h2><span class="light green"></span>{Light::Green.name()}</h2>
            <p>{t::RULE_GREEN}</p>
            <h2>{t::CAMPAIGN_HEADING}</h2>
            <p data-testid="rules-campaign-clock">{clock}</p>
            <p>{t::campaign_note()}</p>
            <p class="hint">{t::RULES_SOURCE}</p>
        </section>
    }
}
