//! Maps JSON value paths (`quotes[3].cue`) to the line on which each value starts, so that a
//! problem found after parsing can still name the line of the item it is about.
//!
//! serde_json reports positions only for syntax errors; this small scanner runs over text that
//! serde_json has already accepted, so it can be lenient about anything malformed.

use std::collections::HashMap;

enum Frame {
    Object { key: Option<String>, want_key: bool },
    Array { index: usize },
}

/// Line (1-based) of the start of every value, keyed by its path: `""` for the root,
/// `mentions[0]`, `quotes[2].speaker_mention`.
pub fn value_lines(json: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1;
    let mut chars = json.chars().peekable();

    let path = |stack: &[Frame]| {
        let mut p = String::new();
        for frame in stack {
            match frame {
                Frame::Object { key: Some(k), .. } => {
                    if !p.is_empty() {
                        p.push('.');
                    }
                    p.push_str(k);
                }
                Frame::Object { key: None, .. } => {}
                Frame::Array { index } => p.push_str(&format!("[{index}]")),
            }
        }
        p
    };

    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '\n' => line += 1,
                        c => s.push(c),
                    }
                }
                match stack.last_mut() {
                    Some(Frame::Object { key, want_key }) if *want_key => {
                        *key = Some(s);
                        *want_key = false;
                    }
                    _ => {
                        lines.entry(path(&stack)).or_insert(line);
                    }
                }
            }
            ':' => {}
            ',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            '{' | '[' => {
                lines.entry(path(&stack)).or_insert(line);
                stack.push(if c == '{' {
                    Frame::Object {
                        key: None,
                        want_key: true,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            '}' | ']' => {
                stack.pop();
            }
            _ => {
                // A number or a literal: record it, then skip to its end.
                lines.entry(path(&stack)).or_insert(line);
                while let Some(&n) = chars.peek() {
                    if matches!(n, ',' | '}' | ']') || n.is_whitespace() {
                        break;
                    }
                    chars.next();
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_nested_items() {
        let json = "{\n \"a\": 1,\n \"quotes\": [\n  {\"text\": \"x, \\\"y\\\"\",\n   \"cue\": {\"text\": \"said\"}},\n  {\"text\": \"z\"}\n ]\n}";
        let lines = value_lines(json);
        assert_eq!(lines["a"], 2);
        assert_eq!(lines["quotes"], 3);
        assert_eq!(lines["quotes[0]"], 4);
        assert_eq!(lines["quotes[0].cue"], 5);
        assert_eq!(lines["quotes[1]"], 6);
        assert_eq!(lines["quotes[1].text"], 6);
    }
}
