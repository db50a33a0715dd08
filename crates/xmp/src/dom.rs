//! A small XML tree over quick-xml that keeps everything a file holds (elements, attributes in order,
//! whitespace, comments, processing instructions such as the `xpacket` wrapper), so a sidecar can be
//! read, changed in the few places Argus owns, and written back with every other element as it was.
//!
//! Hostile input is refused, never expanded: a document type declaration (the way entity attacks
//! such as "billion laughs" are written) is an error, an undefined entity is an error, and the
//! nesting depth is bounded. The caller bounds the size.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::XmpError;

/// How deep elements may nest (XMP needs about ten levels).
const MAX_DEPTH: usize = 128;

/// The `xml` prefix, bound by definition.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// A parsed document: what comes before the root element (declaration, `xpacket` begin, comments),
/// the root, and what comes after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub prolog: Vec<Node>,
    pub root: Element,
    pub epilog: Vec<Node>,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Character data, unescaped.
    Text(String),
    CData(String),
    /// A comment's content (between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction's content (between `<?` and `?>`), the XML declaration included.
    Instruction(String),
}

/// An element with its name as written (`rdf:Description`) and the namespace its prefix is bound to.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub namespace: Option<String>,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
    /// The start tag as read (its line breaks and quoting), written again while the name and
    /// attributes are unchanged.
    pub source: Option<StartTag>,
}

/// A start tag's text as read, with what it said.
#[derive(Debug, Clone, PartialEq)]
pub struct StartTag {
    pub text: String,
    pub name: String,
    pub attributes: Vec<Attribute>,
}

/// An attribute, its value unescaped; `namespace` is that of its prefix (none for an unprefixed one).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub namespace: Option<String>,
    pub value: String,
}

impl Element {
    /// A new empty element in `namespace`, written with `name` (`prefix:local`).
    pub fn new(name: &str, namespace: &str) -> Element {
        Element {
            name: name.to_string(),
            namespace: Some(namespace.to_string()),
            attributes: Vec::new(),
            children: Vec::new(),
            source: None,
        }
    }

    /// The local part of the name.
    pub fn local_name(&self) -> &str {
        local(&self.name)
    }

    /// Whether this element is `local` in `namespace`.
    pub fn is(&self, namespace: &str, local_name: &str) -> bool {
        self.namespace.as_deref() == Some(namespace) && self.local_name() == local_name
    }

    /// The value of the attribute `local` in `namespace`.
    pub fn attribute(&self, namespace: &str, local_name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.namespace.as_deref() == Some(namespace) && local(&a.name) == local_name)
            .map(|a| a.value.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The child elements, mutable.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The first child element `local` in `namespace`.
    pub fn child(&self, namespace: &str, local_name: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(namespace, local_name))
    }

    /// The element's own text (its text and CDATA children joined).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            match node {
                Node::Text(t) | Node::CData(t) => out.push_str(t),
                _ => {}
            }
        }
        out
    }

    /// Whether the element holds no child elements.
    pub fn is_leaf(&self) -> bool {
        self.elements().next().is_none()
    }

    /// Sets (or adds) the attribute `name` bound to `namespace`.
    pub fn set_attribute(&mut self, name: &str, namespace: Option<&str>, value: &str) {
        match self.attributes.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value.to_string(),
            None => self.attributes.push(Attribute {
                name: name.to_string(),
                namespace: namespace.map(str::to_string),
                value: value.to_string(),
            }),
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

fn prefix(name: &str) -> Option<&str> {
    name.split_once(':').map(|(p, _)| p)
}

/// Parses a whole document.
pub fn parse(text: &str) -> Result<Document, XmpError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut prolog = Vec::new();
    let mut epilog = Vec::new();
    let mut root: Option<Element> = None;
    // The open elements, and the namespace bindings each declared.
    let mut open: Vec<(Element, Vec<(String, String)>)> = Vec::new();
    let mut scopes: Vec<(String, String)> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            XmpError::Malformed(format!("{e} (at byte {})", reader.error_position()))
        })?;
        let node = match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(XmpError::Refused(
                    "the XML declares a document type (entity declarations are refused)".into(),
                ))
            }
            Event::Start(start) | Event::Empty(start) if open.len() >= MAX_DEPTH => {
                let _ = start;
                return Err(XmpError::Refused(format!(
                    "elements nest deeper than {MAX_DEPTH} levels"
                )));
            }
            Event::Start(start) => {
                let (element, declared) = open_element(&start, &mut scopes)?;
                open.push((element, declared));
                continue;
            }
            Event::Empty(start) => {
                let (element, declared) = open_element(&start, &mut scopes)?;
                scopes.truncate(scopes.len() - declared.len());
                Node::Element(element)
            }
            Event::End(_) => {
                let (element, declared) = open
                    .pop()
                    .ok_or_else(|| XmpError::Malformed("an end tag without a start".into()))?;
                scopes.truncate(scopes.len() - declared.len());
                Node::Element(element)
            }
            Event::Text(t) => Node::Text(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => Node::Text(resolve_reference(&r)?),
            Event::CData(c) => Node::CData(c.xml10_content().into_owned()),
            Event::Comment(c) => Node::Comment(c.xml10_content().into_owned()),
            Event::Decl(d) => {
                Node::Instruction(String::from_utf8_lossy(d.as_ref().as_bytes()).into_owned())
            }
            Event::PI(p) => Node::Instruction(p.into_inner().into_owned()),
        };
        match open.last_mut() {
            Some((parent, _)) => push_node(&mut parent.children, node),
            None => match node {
                Node::Element(e) if root.is_none() => root = Some(e),
                Node::Element(_) => {
                    return Err(XmpError::Malformed("more than one root element".into()))
                }
                Node::Text(t) if t.trim().is_empty() => {
                    let side = if root.is_none() {
                        &mut prolog
                    } else {
                        &mut epilog
                    };
                    side.push(Node::Text(t));
                }
                Node::Text(_) | Node::CData(_) => {
                    return Err(XmpError::Malformed("text outside the root element".into()))
                }
                other => {
                    let side = if root.is_none() {
                        &mut prolog
                    } else {
                        &mut epilog
                    };
                    side.push(other);
                }
            },
        }
    }
    if !open.is_empty() {
        return Err(XmpError::Malformed(format!(
            "the document ends inside <{}>",
            open.last()
                .map(|(e, _)| e.name.as_str())
                .unwrap_or_default()
        )));
    }
    let root = root.ok_or_else(|| XmpError::Malformed("no root element".into()))?;
    Ok(Document {
        prolog,
        root,
        epilog,
    })
}

/// Joins adjacent text (quick-xml reports `a&amp;b` as three events).
fn push_node(children: &mut Vec<Node>, node: Node) {
    if let (Node::Text(new), Some(Node::Text(last))) = (&node, children.last_mut()) {
        last.push_str(new);
        return;
    }
    children.push(node);
}

fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, XmpError> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| XmpError::Malformed(format!("bad character reference: {e}")))?
    {
        return Ok(c.to_string());
    }
    let name = r.xml10_content();
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_string)
        .ok_or_else(|| {
            XmpError::Refused(format!("undefined entity &{name}; (entities are refused)"))
        })
}

/// Builds the element of a start tag, resolving its prefixes against `scopes` (which gains the tag's
/// own declarations; the caller removes them when the element ends).
fn open_element(
    start: &quick_xml::events::BytesStart<'_>,
    scopes: &mut Vec<(String, String)>,
) -> Result<(Element, Vec<(String, String)>), XmpError> {
    let name = start.name().0.to_string();
    let mut raw = Vec::new();
    let mut declared = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute
            .map_err(|e| XmpError::Malformed(format!("bad attribute in <{name}>: {e}")))?;
        let key = attribute.key.0.to_string();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| XmpError::Refused(format!("attribute {key} of <{name}>: {e}")))?
            .into_owned();
        if let Some(p) = key.strip_prefix("xmlns:") {
            declared.push((p.to_string(), value.clone()));
        } else if key == "xmlns" {
            declared.push((String::new(), value.clone()));
        }
        raw.push((key, value));
    }
    scopes.extend(declared.iter().cloned());
    let lookup = |p: &str| -> Option<String> {
        if p == "xml" {
            return Some(XML_NAMESPACE.to_string());
        }
        scopes
            .iter()
            .rev()
            .find(|(q, _)| q == p)
            .map(|(_, uri)| uri.clone())
    };
    let namespace = lookup(prefix(&name).unwrap_or(""));
    let attributes: Vec<Attribute> = raw
        .into_iter()
        .map(|(key, value)| {
            let namespace = match prefix(&key) {
                Some("xmlns") | None => None,
                Some(p) => lookup(p),
            };
            Attribute {
                name: key,
                namespace,
                value,
            }
        })
        .collect();
    let source = Some(StartTag {
        text: start.to_string(),
        name: name.clone(),
        attributes: attributes.clone(),
    });
    Ok((
        Element {
            name,
            namespace,
            attributes,
            children: Vec::new(),
            source,
        },
        declared,
    ))
}

/// Writes the document back as text.
pub fn write(document: &Document) -> String {
    let mut out = String::new();
    for node in &document.prolog {
        write_node(node, &mut out);
    }
    write_element(&document.root, &mut out);
    for node in &document.epilog {
        write_node(node, &mut out);
    }
    out
}

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Element(e) => write_element(e, out),
        Node::Text(t) => out.push_str(&escape_text(t)),
        Node::CData(t) => {
            out.push_str("<![CDATA[");
            out.push_str(t);
            out.push_str("]]>");
        }
        Node::Comment(t) => {
            out.push_str("<!--");
            out.push_str(t);
            out.push_str("-->");
        }
        Node::Instruction(t) => {
            out.push_str("<?");
            out.push_str(t);
            out.push_str("?>");
        }
    }
}

fn write_element(e: &Element, out: &mut String) {
    out.push('<');
    match &e.source {
        Some(tag) if tag.name == e.name && tag.attributes == e.attributes => {
            out.push_str(tag.text.trim_end_matches('/').trim_end());
        }
        _ => {
            out.push_str(&e.name);
            for a in &e.attributes {
                out.push(' ');
                out.push_str(&a.name);
                out.push_str("=\"");
                out.push_str(&escape_attribute(&a.value));
                out.push('"');
            }
        }
    }
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &e.children {
        write_node(child, out);
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

fn escape_text(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attribute(t: &str) -> String {
    escape_text(t)
        .replace('"', "&quot;")
        .replace('\n', "&#xA;")
        .replace('\r', "&#xD;")
        .replace('\t', "&#x9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_round_trips_with_comments_and_instructions() {
        let text = "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
            <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><!-- a note -->\n  \
            <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n    \
            <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" a=\"x &amp; y\"/>\n  \
            </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
        let doc = parse(text).unwrap();
        assert_eq!(write(&doc), text);
        let rdf = doc.root.elements().next().unwrap();
        assert_eq!(
            rdf.namespace.as_deref(),
            Some("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
        );
        let desc = rdf.elements().next().unwrap();
        assert_eq!(desc.attributes[2].value, "x & y");
    }

    #[test]
    fn entities_and_document_types_are_refused() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>";
        assert!(matches!(parse(laughs), Err(XmpError::Refused(_))));
        assert!(matches!(parse("<a>&lol;</a>"), Err(XmpError::Refused(_))));
        assert!(matches!(
            parse("<a b=\"&lol;\"/>"),
            Err(XmpError::Refused(_))
        ));
        assert_eq!(parse("<a>&#65;&lt;</a>").unwrap().root.text(), "A<");
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a b=c/>"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(1000) + &"</a>".repeat(1000);
        assert!(matches!(parse(&deep), Err(XmpError::Refused(_))));
    }
}
