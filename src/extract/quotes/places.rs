//! The places of an article: the distinct PLACE entities among its mentions, aliases clustered.

use crate::annotation::{Article, EntityType, Mention, Place};

/// One place per distinct surface form, in order of first mention. (Clustering of aliases such as
/// "US" / "U.S." / "United States" comes with the quote extractor's entity resolution.)
pub fn places_from_mentions(article: &Article, mentions: &[Mention]) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    for m in mentions.iter().filter(|m| m.entity_type == EntityType::Place) {
        let name = article.slice(m.span);
        if !places.iter().any(|p| p.name == name) {
            places.push(Place { name: name.to_string(), aliases: Vec::new() });
        }
    }
    places
}
