use project_ledger::domain::registry::shipped;
use project_ledger::domain::validate::{
    check_change, check_name, parse_date, parse_investment, InputError,
};
use project_ledger::domain::{Change, Date};
use project_ledger::text::input_error;

#[test]
fn investment_accepts_what_people_type() {
    assert_eq!(parse_investment(""), Ok(None));
    assert_eq!(parse_investment(" 12600 "), Ok(Some(12600.0)));
    assert_eq!(parse_investment("12,600.5"), Ok(Some(12600.5)));
    assert_eq!(parse_investment("１２６００"), Ok(Some(12600.0)));
    assert_eq!(parse_investment("5000万元"), Ok(Some(5000.0)));
    assert_eq!(parse_investment("0"), Ok(Some(0.0)));
}

#[test]
fn investment_refuses_nonsense() {
    assert_eq!(parse_investment("abc"), Err(InputError::NotANumber));
    assert_eq!(parse_investment("1.2.3"), Err(InputError::NotANumber));
    assert_eq!(parse_investment("."), Err(InputError::NotANumber));
    assert_eq!(parse_investment("1e5"), Err(InputError::NotANumber));
    assert_eq!(parse_investment("NaN"), Err(InputError::NotANumber));
    assert_eq!(parse_investment("-5"), Err(InputError::Negative));
    assert_eq!(parse_investment("99999999999"), Err(InputError::TooLarge));
}

#[test]
fn dates_must_exist() {
    assert_eq!(parse_date(""), Ok(None));
    assert_eq!(parse_date("2024-02-29"), Ok(Date::new(2024, 2, 29)));
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-1",
        "20240301",
        "明天",
        "2024-04-31",
    ] {
        assert_eq!(parse_date(bad), Err(InputError::BadDate), "{bad}");
    }
}

#[test]
fn date_arithmetic_round_trips() {
    let d = Date::new(2024, 2, 18).unwrap();
    assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
    assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
    assert_eq!(
        Date::new(2024, 5, 28).unwrap().days_since_epoch() - d.days_since_epoch(),
        100
    );
    for days in (-800_000..800_000).step_by(997) {
        assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
    }
}

#[test]
fn actual_start_cannot_precede_signing() {
    let mut p = shipped().remove(0);
    p.signed_on = Date::new(2024, 3, 1);
    assert_eq!(
        check_change(&p, &Change::ActualStart(Date::new(2024, 2, 1))),
        Err(InputError::StartBeforeSigning)
    );
    assert_eq!(
        check_change(&p, &Change::ActualStart(Date::new(2024, 3, 1))),
        Ok(())
    );
    p.actual_start = Date::new(2024, 3, 10);
    assert_eq!(
        check_change(&p, &Change::SignedOn(Date::new(2024, 3, 11))),
        Err(InputError::StartBeforeSigning)
    );
    assert_eq!(check_change(&p, &Change::SignedOn(None)), Ok(()));
}

#[test]
fn names_and_text_have_bounds() {
    assert_eq!(check_name("   "), Err(InputError::EmptyName));
    assert_eq!(check_name(" 新项目 "), Ok("新项目".into()));
    assert!(matches!(
        check_name(&"字".repeat(501)),
        Err(InputError::TooLong { max: 500 })
    ));
    let p = shipped().remove(0);
    assert!(check_change(&p, &Change::Notes("注".repeat(5001))).is_err());
    assert!(check_change(&p, &Change::InvestmentWan(Some(-1.0))).is_err());
    assert!(check_change(&p, &Change::InvestmentWan(Some(f64::NAN))).is_err());
}

#[test]
fn every_input_error_has_a_chinese_message() {
    for e in [
        InputError::NotANumber,
        InputError::Negative,
        InputError::TooLarge,
        InputError::BadDate,
        InputError::StartBeforeSigning,
        InputError::EmptyName,
        InputError::TooLong { max: 9 },
        InputError::BadLogin,
        InputError::LoginTaken("王晓明".into()),
    ] {
        let message = input_error(e.clone());
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{e:?}: {message}"
        );
    }
}

#[test]
fn investment_is_shown_without_float_noise() {
    use project_ledger::text::format_wan;
    assert_eq!(format_wan(12600.0), "12600");
    assert_eq!(format_wan(12600.5), "12600.5");
    assert_eq!(format_wan(0.1 + 0.2), "0.3");
    assert_eq!(format_wan(1.23456), "1.2346");
    assert_eq!(format_wan(0.0), "0");
}

#[test]
fn investment_decimals_round_to_one_yuan() {
    assert_eq!(
        parse_investment("0.00005"),
        Ok(Some(0.0001)),
        "half a yuan rounds up"
    );
    assert_eq!(parse_investment("0.00004"), Ok(Some(0.0)));
    assert_eq!(parse_investment("12600.1234"), Ok(Some(12600.1234)));
    assert_eq!(parse_investment("007.5"), Ok(Some(7.5)));
    assert_eq!(parse_investment("5."), Ok(Some(5.0)));
    assert_eq!(parse_investment(".5"), Ok(Some(0.5)));
    assert_eq!(
        parse_investment("1234567890123456"),
        Err(InputError::TooLarge),
        "too long for any investment, and no overflow"
    );
}
