//! Sync accounts for the roster: the file the accounts command reads, and
//! each person's A4 account card with the sign-in link and its QR code.

use super::print::PrintBar;
use crate::domain::people::Person;
use crate::domain::sync::accounts::{accounts_file, qr_path, server_role, SignInLink};
use crate::text as t;
use crate::ui::{today, AccountCards, OfficeRoute, Store};
use leptos::prelude::*;

/// The field app's address, from the office app's own (`…/office/` → `…/`).
fn field_app_address() -> String {
    let href = window().location().href().unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default();
    let folder = page.trim_end_matches("index.html");
    folder.strip_suffix("office/").unwrap_or(folder).to_owned()
}

/// 导出账号名单 and 打印账号卡, on the roster page.
#[component]
pub fn AccountTools(district: Option<crate::domain::District>) -> impl IntoView {
    let store = expect_context::<Store>();
    let export = move |_| {
        let day = today().to_string();
        let text = store
            .ledger()
            .with_untracked(|l| accounts_file(l, &day, t::no_account));
        crate::ui::browser::download(&t::accounts_file_name(&day), "application/json", &text);
    };
    let counts = move || {
        store.ledger().with(|l| {
            let split = crate::domain::sync::accounts::roster_accounts(l);
            t::accounts_count(split.with.len(), split.without.len())
        })
    };
    view! {
        <section class="card" data-testid="accounts">
            <h2>{t::ACCOUNTS_HEADING}</h2>
            <p class="hint">{t::ACCOUNTS_HINT}</p>
            <p data-testid="accounts-count">{counts}</p>
            <div class="actions">
                <button type="button" on:click=export data-testid="export-accounts">{t::EXPORT_ACCOUNTS}</button>
                <a href=OfficeRoute::PrintAccounts(AccountCards::Everyone(district)).to_hash() data-testid="print-accounts">{t::PRINT_ACCOUNT_CARDS}</a>
            </div>
        </section>
    }
}

/// One A4 card per person with a login: who they are, what the server lets
/// them write, the sign-in link as text and as a QR code, the three steps.
#[component]
pub fn AccountCardsPage(cards: AccountCards) -> impl IntoView {
    let store = expect_context::<Store>();
    let server = crate::settings::sync_server().map(|(url, _)| url);
    let app = field_app_address();
    let no_server = server.is_none();
    let body = move || {
        store.ledger().with(|l| {
            let people: Vec<&Person> = l
                .people()
                .filter(|p| match &cards {
                    AccountCards::Person(id) => &p.id == id,
                    AccountCards::Everyone(d) => d.is_none() || p.details.district == *d,
                })
                .filter(|p| server_role(&p.details).is_ok())
                .collect();
            if people.is_empty() {
                return view! { <p class="card" role="alert">{t::NO_ACCOUNT_CARDS}</p> }.into_any();
            }
            people
                .into_iter()
                .map(|p| account_card(p, server.as_deref(), &app))
                .collect_view()
                .into_any()
        })
    };
    view! {
        <PrintBar title=t::ACCOUNT_CARDS_TITLE query=None/>
        {no_server.then(|| view! { <p class="card no-print" role="alert" data-testid="no-server">{t::ACCOUNT_CARDS_NO_SERVER}</p> })}
        <div class="sheets account-cards">{body}</div>
    }
}

fn account_card(person: &Person, server: Option<&str>, app: &str) -> impl IntoView {
    let d = &person.details;
    let role = server_role(d).unwrap_or_default();
    let link = server.map(|server| {
        SignInLink {
            server: server.to_owned(),
            login: d.login.clone(),
        }
        .url(app)
    });
    let code = link.as_deref().and_then(qr_path).map(|qr| {
        // A quiet zone of four modules around the code, as scanners expect.
        let view_box = format!("-4 -4 {0} {0}", qr.size + 8);
        view! {
            <svg class="qr" viewBox=view_box role="img" aria-label=t::SIGN_IN_QR data-testid="sign-in-qr" shape-rendering="crispEdges">
                <rect x="-4" y="-4" width="100%" height="100%" fill="#fff"/>
                <path d=qr.d fill="#000"/>
            </svg>
        }
    });
    view! {
        <section class="sheet account-card" data-person=person.id.clone()>
            <header class="sheet-head">
                <h2>{t::APP_NAME} " · " {t::ACCOUNT_CARD}</h2>
            </header>
            <dl class="account-facts">
                <dt>{t::PERSON_NAME}</dt><dd data-testid="card-name">{d.name.clone()}</dd>
                <dt>{t::PERSON_DISTRICT}</dt><dd>{d.district.map_or(t::WHOLE_CITY, |x| x.name())}</dd>
                <dt>{t::PERSON_ROLE}</dt><dd>{d.role.name()}</dd>
                <dt>{t::ACCOUNT_WRITES}</dt><dd>{t::server_role_words(&role)}</dd>
                <dt>{t::SYNC_USER}</dt><dd class="login" data-testid="card-login">{d.login.clone()}</dd>
            </dl>
            <div class="sign-in">
                {code}
                <div>
                    <h3>{t::SIGN_IN_STEPS_HEADING}</h3>
                    <ol>
                        <li>{t::SIGN_IN_STEP_OPEN}</li>
                        <li>{t::SIGN_IN_STEP_PASSWORD}</li>
                        <li>{t::SIGN_IN_STEP_DONE}</li>
                    </ol>
                    <p class="link" data-testid="card-link">{link.unwrap_or_else(|| t::ACCOUNT_CARDS_NO_SERVER.to_owned())}</p>
                </div>
            </div>
        </section>
    }
}
