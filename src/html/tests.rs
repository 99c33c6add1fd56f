use super::*;

#[test]
fn script_json_cannot_close_its_block() {
    let s = script_json(&"</script><img src=x onerror=alert(1)> & \u{2028}");
    assert!(
        !s.contains('<') && !s.contains('>') && !s.contains('&'),
        "{s}"
    );
    let back: String = serde_json::from_str(&s).unwrap();
    assert_eq!(back, "</script><img src=x onerror=alert(1)> & \u{2028}");
}

#[test]
fn utf16_offsets_count_surrogate_pairs() {
    // "“" is one UTF-16 unit, "😀" two.
    let u = Utf16::of("“a😀b”");
    assert_eq!(u.span(Span::new(1, 2)), [1, 2]);
    assert_eq!(u.span(Span::new(3, 4)), [4, 5]);
    assert_eq!(u.span(Span::new(3, 99)), [4, 6], "clamped to the text");
}

#[test]
fn base64_and_anchors() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(anchor_of("000_ab-c"), "a-000_ab-c");
    assert_eq!(anchor_of("a b\"<"), "a-a.20b.22.3c");
}

#[test]
fn esc_escapes_markup_and_quotes() {
    assert_eq!(
        esc("<b a=\"1\" c='2'>&</b>"),
        "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;"
    );
}
