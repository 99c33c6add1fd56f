//! The report's tables: rows × columns of catalogue names, rendered by the terminal table,
//! Markdown and HTML.

#[allow(unused_imports)]
use super::*;

/// A table of a report: rows × columns of catalogue names (`{row prefix}{column suffix}`),
/// shown when the gold covers `layer`. The terminal table, Markdown and HTML all render these.
#[derive(Debug, Clone)]
pub struct Table {
    pub title: &'static str,
    pub layer: Layer,
    /// (header, name suffix); an empty suffix is an empty cell.
    pub columns: Vec<(String, String)>,
    /// (label, name prefix).
    pub rows: Vec<(String, String)>,
}

impl Table {
    /// The quantity in a cell, if the catalogue has one there.
    pub fn cell(&self, row: usize, column: usize) -> Option<&'static Quantity> {
        get(&format!("{}{}", self.rows[row].1, self.columns[column].1))
    }
}

/// The report's tables, in order.
pub fn tables() -> Vec<Table> {
    let col = |h: &str, s: &str| (h.to_string(), s.to_string());
    let mut entity_columns = Vec::new();
    for schema in Schema::ALL {
        for (short, rate) in [("P", "precision"), ("R", "recall"), ("F1", "f1")] {
            entity_columns.push((
                format!("{} {short}", schema.as_str()),
                format!("{}.{rate}", schema.as_str()),
            ));
        }
    }
    let mut entity_rows: Vec<(String, String)> = EntityType::ALL
        .iter()
        .map(|t| {
            (
                t.as_str().to_string(),
                format!("entities.{}.", t.as_str().to_lowercase()),
            )
        })
        .collect();
    entity_columns.extend([col("gold", "gold"), col("pred", "pred")]);
    entity_rows.push(("micro".into(), "entities.".into()));
    entity_rows.push(("macro".into(), "entities.macro.".into()));

    let mut quote_columns = vec![col("P", "precision"), col("R", "recall"), col("F1", "f1")];
    for k in QuoteKind::ALL {
        quote_columns.push((format!("{k} F1"), format!("{k}.f1")));
    }
    quote_columns.push(col("quoted F1", "quoted.f1"));
    quote_columns.push(col("partial F1", "partial.f1"));
    quote_columns.extend([
        col("speaker (name)", "speaker_by_name"),
        col("speaker (mention)", "speaker_by_mention"),
        col("end-to-end F1", "end_to_end.f1"),
        col("gold", "gold"),
        col("pred", "pred"),
    ]);
    let level_rows: Vec<(String, String)> = Level::all()
        .map(|l| (l.label(), format!("quotes.{}.", l.as_str())))
        .collect();
    let mut speaker_columns = Vec::new();
    for kind in [None].into_iter().chain(QuoteKind::ALL.map(Some)) {
        for by in SpeakerBy::ALL {
            let (scope, prefix) = match kind {
                Some(k) => (k.to_string(), format!("{k}.")),
                None => ("all".to_string(), String::new()),
            };
            let short = if by == SpeakerBy::Name {
                "name"
            } else {
                "mention"
            };
            speaker_columns.push((
                format!("{scope} ({short})"),
                format!("{prefix}{}", by.as_str()),
            ));
        }
    }
    let set_columns = vec![
        col("P", "precision"),
        col("R", "recall"),
        col("F1", "f1"),
        col("gold", "gold"),
        col("pred", "pred"),
    ];
    vec![
        Table {
            title: "Entity mentions",
            layer: Layer::Mentions,
            columns: entity_columns,
            rows: entity_rows,
        },
        Table {
            title: "Quotes",
            layer: Layer::Quotes,
            columns: quote_columns,
            rows: level_rows.clone(),
        },
        Table {
            title: "Speaker accuracy",
            layer: Layer::Quotes,
            columns: speaker_columns,
            rows: level_rows,
        },
        Table {
            title: "Attribution spans (CofeNet's exact match and begin)",
            layer: Layer::Quotes,
            columns: SpanPart::ALL
                .iter()
                .flat_map(|p| {
                    let p = p.as_str();
                    [
                        (format!("{p} P"), format!("{p}.precision")),
                        (format!("{p} R"), format!("{p}.recall")),
                        (format!("{p} F1"), format!("{p}.f1")),
                    ]
                })
                .collect(),
            rows: SpanMatch::ALL
                .iter()
                .map(|m| (m.as_str().to_string(), format!("spans.{}.", m.as_str())))
                .collect(),
        },
        Table {
            title: "Speakers",
            layer: Layer::Speakers,
            columns: set_columns.clone(),
            rows: vec![
                ("speakers".into(), "speakers.".into()),
                ("named".into(), "speakers.named.".into()),
            ],
        },
        Table {
            title: "Places",
            layer: Layer::Places,
            columns: set_columns,
            rows: vec![("places".into(), "places.".into())],
        },
    ]
}
