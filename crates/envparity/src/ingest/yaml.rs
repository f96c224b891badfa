//! YAML text → a small tree of [`Node`]s with line numbers. Anchors, aliases and merge keys
//! are resolved here, under [`Limits`] that stop alias bombs and runaway nesting.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

pub use super::scalar::scalar_text;
use super::scalar::{is_merge_key, resolve_scalar};

/// Bounds on what one file may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Nodes in all documents of a file, counting each alias expansion in full.
    pub max_nodes: usize,
    /// Nesting depth of sequences and mappings.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nodes: 1_000_000,
            max_depth: 256,
        }
    }
}

/// Why a text is not valid YAML (or exceeds the limits), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

/// A value of a YAML node. Mapping keys are strings, in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A node and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
}

/// A finished node on its way to its parent: its size counts the nodes inside it.
struct Built {
    node: Node,
    size: usize,
    merge_key: bool,
}

enum Frame {
    Seq {
        anchor: usize,
        line: u32,
        size: usize,
        items: Vec<Node>,
    },
    Map {
        anchor: usize,
        line: u32,
        size: usize,
        entries: Vec<(String, Node)>,
        index: HashMap<String, usize>,
        /// `None` while waiting for a key; `Some(None)` after a merge key `<<`.
        key: Option<Option<String>>,
    },
}

struct Builder {
    limits: Limits,
    total: usize,
    stack: Vec<Frame>,
    /// Anchored nodes with their size and height, for their aliases.
    anchors: HashMap<usize, (Node, usize, usize)>,
    root: Option<Node>,
    documents: Vec<Node>,
    doc_line: u32,
}

/// Parses every document of a YAML stream (JSON is YAML too). Empty documents are
/// [`Value::Null`] nodes. Never panics; errors carry a line and column.
pub fn parse_documents(text: &str, limits: &Limits) -> Result<Vec<Node>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        limits: *limits,
        total: 0,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: Vec::new(),
        doc_line: 1,
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| ParseError {
            line: to_u32(e.marker().line()),
            column: to_u32(e.marker().col() + 1),
            message: match e.info() {
                // saphyr-parser counts `[` / `{` levels in a `u8`.
                "recursion limit exceeded" => "flow collections nested deeper than 255 levels",
                info => info,
            }
            .to_string(),
        })?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        builder.on_event(event, span)?;
    }
    if let Some(root) = builder.root.take() {
        builder.documents.push(root);
    }
    Ok(builder.documents)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn line_of(span: &Span) -> u32 {
    to_u32(span.start.line().max(1))
}

fn error_at(span: &Span, message: impl Into<String>) -> ParseError {
    ParseError {
        line: line_of(span),
        column: to_u32(span.start.col() + 1),
        message: message.into(),
    }
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.root = None;
                self.stack.clear();
                self.doc_line = line_of(&span);
            }
            Event::DocumentEnd => {
                let doc = self.root.take().unwrap_or(Node {
                    value: Value::Null,
                    line: self.doc_line,
                });
                self.documents.push(doc);
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, &span)?;
                let merge_key = is_merge_key(&text, style, tag.as_deref());
                let node = Node {
                    value: resolve_scalar(&text, style, tag.as_deref()),
                    line: line_of(&span),
                };
                self.register(anchor, &node, 1, &span)?;
                self.deliver(
                    Built {
                        node,
                        size: 1,
                        merge_key,
                    },
                    &span,
                )?;
            }
            Event::Alias(id) => {
                let Some(&(_, size, height)) = self.anchors.get(&id) else {
                    return Err(error_at(&span, "unknown alias"));
                };
                self.count(size, &span)?;
                // An alias nests its whole node here: the depth limit holds for the result,
                // or chained aliases could build trees deep enough to overflow the stack.
                if self.stack.len().saturating_add(height) > self.limits.max_depth {
                    return Err(self.too_deep(&span));
                }
                let Some((node, _, _)) = self.anchors.get(&id) else {
                    return Err(error_at(&span, "unknown alias"));
                };
                let mut node = node.clone();
                node.line = line_of(&span);
                self.deliver(
                    Built {
                        node,
                        size,
                        merge_key: false,
                    },
                    &span,
                )?;
            }
            Event::SequenceStart(anchor, _) => {
                self.open(&span)?;
                self.stack.push(Frame::Seq {
                    anchor,
                    line: line_of(&span),
                    size: 1,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                self.open(&span)?;
                self.stack.push(Frame::Map {
                    anchor,
                    line: line_of(&span),
                    size: 1,
                    entries: Vec::new(),
                    index: HashMap::new(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let built = match self.stack.pop() {
                    Some(Frame::Seq {
                        anchor,
                        line,
                        size,
                        items,
                    }) => {
                        let node = Node {
                            value: Value::Seq(items),
                            line,
                        };
                        self.register(anchor, &node, size, &span)?;
                        node_built(node, size)
                    }
                    Some(Frame::Map {
                        anchor,
                        line,
                        size,
                        entries,
                        ..
                    }) => {
                        let node = Node {
                            value: Value::Map(entries),
                            line,
                        };
                        self.register(anchor, &node, size, &span)?;
                        node_built(node, size)
                    }
                    None => return Err(error_at(&span, "unbalanced collection end")),
                };
                self.deliver(built, &span)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn count(&mut self, n: usize, span: &Span) -> Result<(), ParseError> {
        self.total = self.total.saturating_add(n);
        if self.total > self.limits.max_nodes {
            return Err(error_at(
                span,
                format!(
                    "too many nodes after expanding aliases (more than {})",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, span: &Span) -> Result<(), ParseError> {
        self.count(1, span)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.too_deep(span));
        }
        Ok(())
    }

    fn too_deep(&self, span: &Span) -> ParseError {
        error_at(
            span,
            format!("nesting deeper than {} levels", self.limits.max_depth),
        )
    }

    /// Keeps a copy of an anchored node for its aliases. The copy counts against the node
    /// limit too, so nested anchors cannot multiply the work unbounded.
    fn register(
        &mut self,
        anchor: usize,
        node: &Node,
        size: usize,
        span: &Span,
    ) -> Result<(), ParseError> {
        if anchor > 0 {
            self.count(size, span)?;
            self.anchors
                .insert(anchor, (node.clone(), size, node.height()));
        }
        Ok(())
    }

    /// Hands a finished node to the open collection, or makes it the document's root.
    fn deliver(&mut self, built: Built, span: &Span) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(built.node);
                Ok(())
            }
            Some(Frame::Seq { size, items, .. }) => {
                *size = size.saturating_add(built.size);
                items.push(built.node);
                Ok(())
            }
            Some(Frame::Map {
                size,
                entries,
                index,
                key,
                ..
            }) => {
                *size = size.saturating_add(built.size);
                match key.take() {
                    None => {
                        *key = Some(if built.merge_key {
                            None
                        } else {
                            Some(key_text(&built.node, span)?)
                        });
                        Ok(())
                    }
                    Some(Some(name)) => {
                        match index.get(&name) {
                            Some(&at) => {
                                if let Some(slot) = entries.get_mut(at) {
                                    slot.1 = built.node;
                                }
                            }
                            None => {
                                index.insert(name.clone(), entries.len());
                                entries.push((name, built.node));
                            }
                        }
                        Ok(())
                    }
                    Some(None) => merge_into(entries, index, built.node, span),
                }
            }
        }
    }
}

fn node_built(node: Node, size: usize) -> Built {
    Built {
        node,
        size,
        merge_key: false,
    }
}

/// Adds the entries of a merged mapping (or list of mappings) that are not already there:
/// explicit keys always win, and earlier merged mappings win over later ones.
fn merge_into(
    entries: &mut Vec<(String, Node)>,
    index: &mut HashMap<String, usize>,
    merged: Node,
    span: &Span,
) -> Result<(), ParseError> {
    let sources = match merged.value {
        Value::Map(map) => vec![map],
        Value::Seq(items) => {
            let mut maps = Vec::new();
            for item in items {
                match item.value {
                    Value::Map(map) => maps.push(map),
                    _ => return Err(merge_error(span)),
                }
            }
            maps
        }
        _ => return Err(merge_error(span)),
    };
    for map in sources {
        for (name, node) in map {
            if !index.contains_key(&name) {
                index.insert(name.clone(), entries.len());
                entries.push((name, node));
            }
        }
    }
    Ok(())
}

fn merge_error(span: &Span) -> ParseError {
    error_at(
        span,
        "expected a mapping or a list of mappings after merge key `<<`",
    )
}

fn key_text(node: &Node, span: &Span) -> Result<String, ParseError> {
    match &node.value {
        Value::Seq(_) | Value::Map(_) => Err(error_at(
            span,
            "expected a scalar mapping key, found a collection",
        )),
        other => Ok(scalar_text(other).unwrap_or_default()),
    }
}
