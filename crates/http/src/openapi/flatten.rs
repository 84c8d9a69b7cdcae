//! Merges the `allOf` that utoipa writes for `#[serde(flatten)]` into one object schema.
//!
//! A stored record is its id, its content and its server meta side by side (`Engagement`
//! = `id` + `EngagementData` + `Meta`). utoipa says so with `allOf`, but the content and
//! the meta are closed objects (`additionalProperties: false`, from `deny_unknown_fields`),
//! and under `allOf` every part judges the whole value: each rejects the other's fields,
//! so no record valid in JSON Schema could exist. One object with every part's
//! properties and required fields says what the server sends and accepts. It is closed
//! when a part was: a closed part is a type that refuses unknown fields on input, and on
//! output a serialised struct has exactly its fields.

use serde_json::{Map, Value};

const PREFIX: &str = "#/components/schemas/";

/// Merges every mergeable `allOf` in the document: components first (a merged component
/// may be a part of another), then every schema inline in the paths.
pub fn merge_flattened_objects(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas").map(Value::take)
    else {
        return;
    };
    let mut schemas = schemas;
    // Each round merges the components whose parts are all plain objects by now; a
    // component resting on another merged in this round is merged in the next.
    loop {
        let mut changed = false;
        let names: Vec<String> = schemas.keys().cloned().collect();
        for name in names {
            let mut schema = schemas[&name].clone();
            if walk(&mut schema, &schemas) {
                schemas.insert(name, schema);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    if let Some(paths) = doc.get_mut("paths") {
        walk(paths, &schemas);
    }
    doc["components"]["schemas"] = Value::Object(schemas);
}

/// Merges the mergeable `allOf`s in `v` and below it; true if it merged any.
fn walk(v: &mut Value, schemas: &Map<String, Value>) -> bool {
    let mut changed = false;
    match v {
        Value::Object(map) => {
            for child in map.values_mut() {
                changed |= walk(child, schemas);
            }
            if let Some(merged) = merge(map, schemas) {
                *map = merged;
                changed = true;
            }
        }
        Value::Array(items) => {
            for child in items {
                changed |= walk(child, schemas);
            }
        }
        _ => {}
    }
    changed
}

/// The object `schema`'s `allOf` stands for, if every part is (or names) an object
/// schema with properties and nothing that a merge would lose.
fn merge(schema: &Map<String, Value>, schemas: &Map<String, Value>) -> Option<Map<String, Value>> {
    let parts = schema.get("allOf")?.as_array()?;
    let mut resolved = Vec::with_capacity(parts.len());
    for part in parts {
        let part = match part.get("$ref").and_then(Value::as_str) {
            Some(r) => schemas.get(r.strip_prefix(PREFIX)?)?,
            None => part,
        };
        let object = part.as_object()?;
        let plain = object.keys().all(|k| {
            matches!(
                k.as_str(),
                "type" | "properties" | "required" | "additionalProperties" | "description"
            )
        });
        if !plain || object.get("type").is_some_and(|t| t != "object") {
            return None;
        }
        resolved.push(object);
    }
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut closed = false;
    for part in &resolved {
        if let Some(Value::Object(p)) = part.get("properties") {
            for (k, v) in p {
                properties.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        if let Some(Value::Array(r)) = part.get("required") {
            for name in r {
                if !required.contains(name) {
                    required.push(name.clone());
                }
            }
        }
        closed |= part.get("additionalProperties") == Some(&Value::Bool(false));
    }
    let mut merged = Map::new();
    merged.insert("type".into(), "object".into());
    let description = schema
        .get("description")
        .or_else(|| resolved.iter().find_map(|p| p.get("description")));
    if let Some(d) = description {
        merged.insert("description".into(), d.clone());
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    merged.insert("properties".into(), Value::Object(properties));
    if closed {
        merged.insert("additionalProperties".into(), false.into());
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_of_closed_parts_becomes_one_closed_object() {
        let mut doc = json!({
            "components": {"schemas": {
                "Data": {"type": "object", "required": ["title"], "additionalProperties": false,
                         "properties": {"title": {"type": "string"}}},
                "Meta": {"type": "object", "required": ["version"], "additionalProperties": false,
                         "properties": {"version": {"type": "integer"}}},
                "Record": {"description": "A record", "allOf": [
                    {"$ref": "#/components/schemas/Data"},
                    {"$ref": "#/components/schemas/Meta"},
                    {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
                ]},
                "View": {"allOf": [
                    {"$ref": "#/components/schemas/Record"},
                    {"type": "object", "properties": {"judged": {"type": "object"}}}
                ]}
            }},
            "paths": {}
        });
        merge_flattened_objects(&mut doc);
        let view = &doc["components"]["schemas"]["View"];
        assert_eq!(view["additionalProperties"], false);
        assert_eq!(view["required"], json!(["title", "version", "id"]));
        for p in ["title", "version", "id", "judged"] {
            assert!(view["properties"][p].is_object(), "{p} in {view}");
        }
        assert_eq!(
            doc["components"]["schemas"]["Record"]["description"],
            "A record"
        );
    }

    #[test]
    fn an_all_of_with_a_part_that_is_not_a_plain_object_is_left_alone() {
        let mut doc = json!({
            "components": {"schemas": {
                "Either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "Both": {"allOf": [{"$ref": "#/components/schemas/Either"},
                                   {"type": "object", "properties": {}}]}
            }}
        });
        let before = doc.clone();
        merge_flattened_objects(&mut doc);
        assert_eq!(doc, before);
    }
}
