//! The XMP data model over the XML tree: an `rdf:RDF` holds `rdf:Description`s whose properties are
//! simple values, arrays (`rdf:Bag`, `rdf:Seq`, `rdf:Alt`) or structures. RDF allows each of these to be
//! written several ways (attribute or element, `rdf:parseType="Resource"`, a nested `rdf:Description`,
//! attributes on the property element); every one is read here, so what another tool wrote in any of
//! them arrives the same.

use crate::dom::{Document, Element};
use crate::namespaces::{RDF, XML};

/// A property's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// An array's items; `rdf:Alt` items carry their `xml:lang`.
    Array(Vec<Item>),
    Struct(Vec<Property>),
}

/// An array item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub lang: Option<String>,
    pub value: Value,
}

/// A named value.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub namespace: String,
    pub name: String,
    pub value: Value,
}

/// The top-level properties of every `rdf:Description` in the document, in document order.
pub fn properties(document: &Document) -> Vec<Property> {
    let mut out = Vec::new();
    for description in descriptions(&document.root) {
        out.extend(description_fields(description));
    }
    out
}

/// The top-level `rdf:Description` elements (those directly inside an `rdf:RDF`, wherever it is).
pub fn descriptions(root: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    collect_descriptions(root, &mut out);
    out
}

fn collect_descriptions<'e>(element: &'e Element, out: &mut Vec<&'e Element>) {
    if element.is(RDF, "RDF") {
        out.extend(element.elements().filter(|e| e.is(RDF, "Description")));
        return;
    }
    for child in element.elements() {
        collect_descriptions(child, out);
    }
}

/// The fields of a description or structure: its attributes (other than RDF's and XML's own) and its
/// child elements.
fn description_fields(element: &Element) -> Vec<Property> {
    let mut out: Vec<Property> = element
        .attributes
        .iter()
        .filter_map(|a| {
            let namespace = a.namespace.as_deref()?;
            if namespace == RDF || namespace == XML {
                return None;
            }
            Some(Property {
                namespace: namespace.to_string(),
                name: a
                    .name
                    .rsplit_once(':')
                    .map_or(a.name.as_str(), |(_, l)| l)
                    .to_string(),
                value: Value::Text(a.value.clone()),
            })
        })
        .collect();
    out.extend(element.elements().filter_map(|child| {
        Some(Property {
            namespace: child.namespace.clone()?,
            name: child.local_name().to_string(),
            value: value_of(child),
        })
    }));
    out
}

/// The value a property element (or an `rdf:li`) holds.
pub(crate) fn value_of(element: &Element) -> Value {
    if let Some(resource) = element.attribute(RDF, "resource") {
        return Value::Text(resource.to_string());
    }
    if element.attribute(RDF, "parseType") == Some("Resource") {
        return Value::Struct(description_fields(element));
    }
    if let Some(array) = element
        .elements()
        .find(|e| e.is(RDF, "Bag") || e.is(RDF, "Seq") || e.is(RDF, "Alt"))
    {
        let items = array
            .elements()
            .filter(|e| e.is(RDF, "li"))
            .map(|li| Item {
                lang: li.attribute(XML, "lang").map(str::to_string),
                value: value_of(li),
            })
            .collect();
        return Value::Array(items);
    }
    if let Some(inner) = element.child(RDF, "Description") {
        return Value::Struct(description_fields(inner));
    }
    let has_fields = element.attributes.iter().any(|a| {
        a.namespace
            .as_deref()
            .is_some_and(|ns| ns != RDF && ns != XML)
    });
    if element.is_leaf() && has_fields {
        return Value::Struct(description_fields(element));
    }
    if !element.is_leaf() {
        // A structure written as plain child elements (not valid RDF, but some tools do it).
        return Value::Struct(description_fields(element));
    }
    Value::Text(element.text().trim().to_string())
}

impl Value {
    /// The value as text: a simple value, or an `rdf:Alt`'s default (`x-default`, else the first).
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t.as_str()),
            Value::Array(items) => items
                .iter()
                .find(|i| i.lang.as_deref() == Some("x-default"))
                .or_else(|| items.first())
                .and_then(|i| i.value.text()),
            Value::Struct(_) => None,
        }
    }

    /// Every text the value holds: a simple value's, or each array item's.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Value::Text(t) => vec![t.as_str()],
            Value::Array(items) => items.iter().filter_map(|i| i.value.text()).collect(),
            Value::Struct(_) => Vec::new(),
        }
    }

    /// A structure's field.
    pub fn field(&self, namespace: &str, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(fields) => find(fields, namespace, name),
            _ => None,
        }
    }

    /// An array's items (a single non-array value counts as one).
    pub fn items(&self) -> Vec<&Value> {
        match self {
            Value::Array(items) => items.iter().map(|i| &i.value).collect(),
            other => vec![other],
        }
    }
}

/// The first property `name` in `namespace`.
pub fn find<'p>(properties: &'p [Property], namespace: &str, name: &str) -> Option<&'p Value> {
    properties
        .iter()
        .find(|p| p.namespace == namespace && p.name == name)
        .map(|p| &p.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::parse;

    const DC: &str = "http://purl.org/dc/elements/1.1/";
    const ST: &str = "http://ns.adobe.com/xmp/sType/Area#";

    #[test]
    fn every_rdf_spelling_of_a_structure_reads_the_same() {
        let spellings = [
            r#"<a:area rdf:parseType="Resource"><st:x>0.5</st:x><st:y>0.25</st:y></a:area>"#,
            r#"<a:area><rdf:Description st:x="0.5"><st:y>0.25</st:y></rdf:Description></a:area>"#,
            r#"<a:area st:x="0.5" st:y="0.25"/>"#,
        ];
        for spelling in spellings {
            let text = format!(
                r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{RDF}">
                <rdf:Description xmlns:a="urn:a" xmlns:st="{ST}">{spelling}</rdf:Description>
                </rdf:RDF></x:xmpmeta>"#
            );
            let props = properties(&parse(&text).unwrap());
            let area = find(&props, "urn:a", "area").unwrap();
            assert_eq!(
                area.field(ST, "x").and_then(Value::text),
                Some("0.5"),
                "{spelling}"
            );
            assert_eq!(
                area.field(ST, "y").and_then(Value::text),
                Some("0.25"),
                "{spelling}"
            );
        }
    }

    #[test]
    fn arrays_and_alternatives() {
        let text = format!(
            r#"<rdf:RDF xmlns:rdf="{RDF}"><rdf:Description xmlns:dc="{DC}" dc:format="image/jpeg">
            <dc:subject><rdf:Bag><rdf:li>cat</rdf:li><rdf:li>dog</rdf:li></rdf:Bag></dc:subject>
            <dc:title><rdf:Alt><rdf:li xml:lang="de">Katze</rdf:li><rdf:li xml:lang="x-default">Cat</rdf:li></rdf:Alt></dc:title>
            </rdf:Description></rdf:RDF>"#
        );
        let props = properties(&parse(&text).unwrap());
        assert_eq!(find(&props, DC, "subject").unwrap().texts(), ["cat", "dog"]);
        assert_eq!(find(&props, DC, "title").unwrap().text(), Some("Cat"));
        assert_eq!(
            find(&props, DC, "format").unwrap().text(),
            Some("image/jpeg")
        );
    }
}
