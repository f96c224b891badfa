//! The JSON Schema of the `envparity.report/v1` document, generated from the report types
//! (their `JsonSchema` derives) so that the published schema cannot drift from the code.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use crate::findings::Rule;
use crate::report::Report;

/// The `schema` field of every report.
pub const REPORT_SCHEMA_ID: &str = "envparity.report/v1";

/// A rule is serialized as its stable id, so its schema is the enumeration of the catalog's ids.
impl JsonSchema for Rule {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Rule")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        let ids: Vec<&'static str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
        json_schema!({
            "description": "A rule id of the catalog (`envparity rules`).",
            "type": "string",
            "enum": ids,
        })
    }
}

/// The draft-07 schema of a report as envparity writes it (the serialization contract:
/// fields that are always written are required, `null` where the type says so).
pub fn report_schema() -> Value {
    let generator = SchemaSettings::draft07().for_serialize().into_generator();
    let schema = generator.into_root_schema_for::<Report>();
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.insert(
            "title".to_string(),
            Value::String(REPORT_SCHEMA_ID.to_string()),
        );
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            properties.insert(
                "schema".to_string(),
                serde_json::json!({"const": REPORT_SCHEMA_ID}),
            );
        }
    }
    value
}

/// [`report_schema`] as pretty JSON with a final newline, as stored in the repository.
pub fn report_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&report_schema()).unwrap_or_default();
    text.push('\n');
    text
}
