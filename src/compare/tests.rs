use super::*;
#[test]
fn splitmix64_reference_values() {
    // The first outputs of Vigna's splitmix64.c.
    assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    let mut r = SplitMix64::new(1234567);
    assert_eq!(r.next_u64(), 6457827717110365317);
    assert_eq!(r.next_u64(), 3203168211198807973);
    assert_eq!(r.next_u64(), 9817491932198370423);
}

#[test]
fn quantile_interpolates() {
    let mut v = vec![4.0, 1.0, 3.0, 2.0];
    assert_eq!(quantile(&mut v, 0.0), 1.0);
    assert_eq!(quantile(&mut v, 1.0), 4.0);
    assert!((quantile(&mut v, 0.5) - 2.5).abs() < 1e-12);
    assert!((quantile(&mut v, 0.25) - 1.75).abs() < 1e-12);
}

#[test]
fn names_resolve() {
    assert_eq!(
        resolve_metric("Entities.Micro.Strict.F1").as_deref(),
        Some("entities.strict.f1")
    );
    assert_eq!(
        resolve_metric("entities.PERSON.partial.recall").as_deref(),
        Some("entities.person.partial.recall")
    );
    assert_eq!(
        resolve_metric("quotes.0.3.speaker_by_name").as_deref(),
        Some("quotes.0.3.speaker_by_name")
    );
    assert_eq!(resolve_metric("quotes.0.5.f1"), None);
    let names = metric_names();
    // 60 entity metrics, 129 quote metrics at three levels: P/R/F1 of all, each of the
    // three kinds, quoted speech and end to end (18), speaker accuracy by name and by
    // mention over all, each kind and quoted (10), Pareti-style partial P/R/F1 over all,
    // each kind and quoted (15); 18 for the attribution spans (P/R/F1 of content, source and
    // cue, exact and begin); 9 for the sets (speakers, named speakers, places).
    assert_eq!(names.len(), 60 + 3 * (18 + 10 + 15) + 18 + 9);
    assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), names.len());
}

#[test]
fn gate_messages() {
    let g = Gate::parse("quotes.0.3.f1=0.01").unwrap();
    let r = check_gate(&g, Some(0.912), Some(0.860));
    assert!(!r.passed);
    assert_eq!(
        r.reason.as_deref(),
        Some("quotes.0.3.f1 dropped 0.052 (0.912 -> 0.860), more than 0.010 allowed")
    );
    assert!(
        check_gate(&g, Some(0.9), Some(0.89)).passed,
        "a drop of exactly the allowance passes"
    );
    assert!(check_gate(&g, Some(0.5), Some(0.9)).passed);
    assert!(!check_gate(&g, Some(0.5), None).passed);
    assert!(check_gate(&g, None, None).passed);
    assert!(matches!(
        Gate::parse("quotes.0.3.f1"),
        Err(CompareError::Usage(_))
    ));
    assert!(matches!(
        Gate::parse("quotes.0.3.f1=-1"),
        Err(CompareError::Usage(_))
    ));
    let d = Gate::parse("speakers.f1=0.0025").unwrap();
    assert_eq!(decimals(d.max_drop), 4);
}
