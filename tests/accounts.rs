//! The roster as sync accounts: logins, the server role each person gets,
//! the accounts file for `server/couchdb/accounts.mjs`, the sign-in link and
//! its QR code.

mod common;

use project_ledger::domain::edit::{Edit, Entry};
use project_ledger::domain::log::wire::{entry_text, read_entry_text};
use project_ledger::domain::people::{PersonDetails, Role};
use project_ledger::domain::sync::accounts::{
    accounts_file, qr_path, server_role, AccountsFile, NoAccount, SignInLink, ACCOUNTS_FORMAT,
};
use project_ledger::domain::validate::{check_login, check_login_free, check_person, InputError};
use project_ledger::domain::{Change, District};

fn details(name: &str, role: Role, district: Option<District>, login: &str) -> PersonDetails {
    PersonDetails {
        name: name.into(),
        role,
        district,
        unit: String::new(),
        phone: String::new(),
        login: login.into(),
    }
}

#[test]
fn logins_are_what_couchdb_takes_and_a_phone_types() {
    for ok in ["", "wangxm", "hc.liuyang", "li-2", "0zhang", "a_b"] {
        assert_eq!(check_login(ok), Ok(()), "{ok:?}");
    }
    for bad in [
        "WangXM",
        "_admin",
        ".x",
        "王晓明",
        "wang xm",
        "a/b",
        "a@b",
        &"a".repeat(65),
    ] {
        assert_eq!(check_login(bad), Err(InputError::BadLogin), "{bad:?}");
    }
    let typed = details(
        "王晓明",
        Role::ServiceTeam,
        Some(District::Haicheng),
        "Wang",
    );
    assert_eq!(check_person(&typed), Err(InputError::BadLogin));
}

#[test]
fn two_people_cannot_share_a_login() {
    let mut first = details(
        "王晓明",
        Role::ServiceTeam,
        Some(District::Haicheng),
        "wangxm",
    );
    let ledger = common::ledger_with(vec![("person-hc-1", Change::SavePerson(first.clone()))]);
    assert_eq!(
        check_login_free(&ledger, "person-hc-2", "wangxm"),
        Err(InputError::LoginTaken("王晓明".into()))
    );
    // Their own login, saved again, and anyone without one, are free.
    assert_eq!(check_login_free(&ledger, "person-hc-1", "wangxm"), Ok(()));
    assert_eq!(check_login_free(&ledger, "person-hc-2", ""), Ok(()));
    first.login.clear();
    let ledger = common::ledger_with(vec![("person-hc-1", Change::SavePerson(first))]);
    assert_eq!(check_login_free(&ledger, "person-hc-2", ""), Ok(()));
    assert_eq!(check_login_free(&ledger, "person-hc-2", "wangxm"), Ok(()));
}

#[test]
fn each_person_gets_the_server_role_of_their_district_or_the_city() {
    let role = |r, d, login| server_role(&details("某人", r, d, login));
    assert_eq!(
        role(Role::ServiceTeam, Some(District::Haicheng), "a"),
        Ok("district-Haicheng".into())
    );
    assert_eq!(
        role(Role::DistrictParty, Some(District::HighTech), "a"),
        Ok("district-HighTech".into())
    );
    assert_eq!(role(Role::CityLeader, None, "a"), Ok("city-leader".into()));
    // A city leader who also serves one district writes that district only.
    assert_eq!(
        role(Role::CityLeader, Some(District::Taian), "a"),
        Ok("district-Taian".into())
    );
    assert_eq!(
        role(Role::ServiceTeam, None, "a"),
        Err(NoAccount::NoDistrict)
    );
    assert_eq!(role(Role::CityLeader, None, ""), Err(NoAccount::NoLogin));
    // Every role given is one the server's security object names.
    let known = project_ledger::domain::sync::server::ledger_roles();
    for &d in District::ALL.iter() {
        let r = role(Role::ServiceTeam, Some(d), "a").unwrap();
        assert!(known.contains(&r), "{r}");
    }
}

#[test]
fn the_accounts_file_lists_who_gets_an_account_and_who_does_not_and_why() {
    let ledger = common::ledger_with(vec![
        (
            "person-hc-1",
            Change::SavePerson(details(
                "王晓明",
                Role::ServiceTeam,
                Some(District::Haicheng),
                "wangxm",
            )),
        ),
        (
            "person-1",
            Change::SavePerson(details("刘洋", Role::CityLeader, None, "liuyang")),
        ),
        (
            "person-ta-1",
            Change::SavePerson(details(
                "孙立新",
                Role::ServiceTeam,
                Some(District::Taian),
                "",
            )),
        ),
        (
            "person-2",
            Change::SavePerson(details("赵敏", Role::ServiceTeam, None, "zhaomin")),
        ),
    ]);
    let text = accounts_file(&ledger, "2026-12-07", |why| format!("{why:?}"));
    let file: AccountsFile = serde_json::from_str(&text).unwrap();
    assert_eq!(file.format, ACCOUNTS_FORMAT);
    assert_eq!(file.exported, "2026-12-07");
    let mut accounts: Vec<_> = file
        .accounts
        .iter()
        .map(|a| {
            (
                a.person.as_str(),
                a.name.as_str(),
                a.login.as_str(),
                a.server_role.as_str(),
                a.district.as_str(),
            )
        })
        .collect();
    accounts.sort();
    assert_eq!(
        accounts,
        [
            ("person-1", "刘洋", "liuyang", "city-leader", ""),
            (
                "person-hc-1",
                "王晓明",
                "wangxm",
                "district-Haicheng",
                "海城市"
            ),
        ]
    );
    let mut left: Vec<_> = file
        .left_out
        .iter()
        .map(|l| (l.name.as_str(), l.reason.as_str()))
        .collect();
    left.sort();
    assert_eq!(left, [("孙立新", "NoLogin"), ("赵敏", "NoDistrict")]);
}

#[test]
fn a_login_is_written_only_when_there_is_one() {
    let edit = |login: &str| {
        Entry::from(Edit {
            id: "w:1".parse().unwrap(),
            device: "d".into(),
            subject: project_ledger::domain::edit::Subject::Person("person-hc-1".into()),
            at: 1,
            replaces: Some(Vec::new()),
            made_by: None,
            change: Change::SavePerson(details(
                "王晓明",
                Role::ServiceTeam,
                Some(District::Haicheng),
                login,
            )),
        })
    };
    let without = entry_text(&edit(""));
    assert!(!without.contains("login"), "{without}");
    let with = entry_text(&edit("wangxm"));
    assert!(with.contains(r#""phone":"","login":"wangxm"}"#), "{with}");
    let read = read_entry_text(&with).unwrap();
    assert_eq!(read, edit("wangxm"));
}

#[test]
fn the_sign_in_link_fills_the_server_and_login_and_never_a_password() {
    let link = SignInLink {
        server: "https://ledger.example.cn/couch/project-ledger".into(),
        login: "hc.wang-1".into(),
    };
    let hash = link.hash();
    assert!(
        hash.starts_with(
            "#/sync?server=https%3A%2F%2Fledger.example.cn%2Fcouch%2Fproject-ledger&user="
        ),
        "{hash}"
    );
    assert!(!hash.contains("password"));
    assert_eq!(SignInLink::from_hash(&hash), Some(link.clone()));
    assert_eq!(
        link.url("https://ledger.example.cn/"),
        format!("https://ledger.example.cn/{hash}")
    );
    assert_eq!(SignInLink::from_hash("#/sync"), None);
    assert_eq!(SignInLink::from_hash("#/sync?user=x"), None);
    assert_eq!(SignInLink::from_hash("#/p/hc-01?server=x"), None);
}

#[test]
fn the_qr_code_is_one_square_per_dark_module_inside_its_size() {
    let link = "https://ledger.example.cn/#/sync?server=https%3A%2F%2Fledger.example.cn%2Fcouch%2Fproject-ledger&user=wangxm";
    let qr = qr_path(link).unwrap();
    // Version 7 at level M holds up to 154 bytes: 45 modules.
    assert!(
        qr.size >= 21 && (qr.size - 17).is_multiple_of(4),
        "{}",
        qr.size
    );
    let squares: Vec<(usize, usize)> =
        qr.d.split('M')
            .filter(|s| !s.is_empty())
            .map(|s| {
                let at = s.strip_suffix("h1v1h-1z").expect("a unit square");
                let (x, y) = at.split_once(' ').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
    assert!(squares.iter().all(|&(x, y)| x < qr.size && y < qr.size));
    // The three finder patterns: their corners are dark, the module inside their ring light.
    for (x, y) in [(0, 0), (qr.size - 1, 0), (0, qr.size - 1), (2, 2)] {
        assert!(squares.contains(&(x, y)), "({x}, {y})");
    }
    assert!(!squares.contains(&(1, 1)));
    assert_eq!(qr_path(&"x".repeat(5000)), None);
}

/// The file the accounts command's tests read (tests/server/accounts.test.mjs)
/// is what the office exports, byte for byte.
#[test]
fn the_accounts_command_is_tested_with_the_file_the_office_exports() {
    let ledger = common::ledger_with(vec![
        (
            "person-hc-w1-1",
            Change::SavePerson(details(
                "王晓明",
                Role::ServiceTeam,
                Some(District::Haicheng),
                "wangxm",
            )),
        ),
        (
            "person-ta-w1-2",
            Change::SavePerson(details(
                "孙立新",
                Role::DistrictGovernment,
                Some(District::Taian),
                "sunlx",
            )),
        ),
        (
            "person-w1-3",
            Change::SavePerson(details("刘洋", Role::CityLeader, None, "liuyang")),
        ),
        (
            "person-hc-w1-4",
            Change::SavePerson(details(
                "赵敏",
                Role::ServiceTeam,
                Some(District::Haicheng),
                "",
            )),
        ),
    ]);
    let text = accounts_file(&ledger, "2026-12-07", project_ledger::text::no_account);
    let fixture = std::fs::read_to_string("tests/fixtures/accounts-file.json").unwrap_or_default();
    if std::env::var_os("WRITE_FIXTURES").is_some() {
        std::fs::write("tests/fixtures/accounts-file.json", &text).unwrap();
    } else {
        assert_eq!(
            text, fixture,
            "run with WRITE_FIXTURES=1 after a deliberate change"
        );
    }
}

/// What the project page says before typing is what validate.js decides:
/// city roles write everywhere, a district's users their district only.
#[test]
fn who_may_write_what_as_the_server_rules_say() {
    use project_ledger::domain::sync::server::{may_write, own_districts};
    let roles = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let haicheng = roles(&["district-Haicheng"]);
    assert!(may_write(&haicheng, Some(District::Haicheng)));
    assert!(!may_write(&haicheng, Some(District::Taian)));
    assert!(!may_write(&haicheng, None));
    for city in [&["city-office"][..], &["city-leader"], &["_admin"]] {
        let r = roles(city);
        assert!(
            may_write(&r, Some(District::Taian)) && may_write(&r, None),
            "{city:?}"
        );
        assert_eq!(own_districts(&r), None);
    }
    assert_eq!(own_districts(&haicheng), Some(vec![District::Haicheng]));
    assert_eq!(own_districts(&roles(&["district-铁东区"])), Some(vec![]));
    let both = roles(&["district-Taian", "district-Xiuyan"]);
    assert_eq!(
        own_districts(&both),
        Some(vec![District::Taian, District::Xiuyan])
    );
}
