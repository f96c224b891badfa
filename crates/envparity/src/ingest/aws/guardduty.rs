//! GuardDuty: `list-detectors` → detectors known by id; `get-detector` (which does not
//! repeat the id) → a status attached to its detector once every file is read (see
//! `finish`: by the id in the file's path, else the only detector).

use super::super::node::str_list;
use super::super::yaml::Node;
use super::Sink;
use super::finish::DetectorStatus;
use crate::model::GuardDutyDetector;

pub fn list_detectors(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let ids = match str_list(doc, "DetectorIds") {
        Ok(ids) => ids,
        Err(e) => {
            sink.skipped("`DetectorIds`", &e);
            return 0;
        }
    };
    let line = doc.get("DetectorIds").map_or(doc.line, |n| n.line);
    let items = doc.get("DetectorIds");
    for (index, id) in ids.iter().enumerate() {
        let item_line = match items.map(|n| &n.value) {
            Some(super::super::yaml::Value::Seq(nodes)) => {
                nodes.get(index).map_or(line, |n| n.line)
            }
            _ => line,
        };
        let provenance = sink.provenance(item_line);
        sink.aws.detectors.push(GuardDutyDetector {
            id: id.clone(),
            status: None,
            provenance,
        });
    }
    ids.len()
}

pub fn get_detector(doc: &Node, sink: &mut Sink<'_>) -> usize {
    let line = doc.get("Status").map_or(doc.line, |n| n.line);
    let provenance = sink.provenance(line);
    sink.pending.detectors.push(DetectorStatus {
        status: doc.text_at("Status"),
        provenance,
    });
    1
}
