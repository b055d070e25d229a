//! The rendered HTML of every structured document is self-contained and inert.

use std::path::{Path, PathBuf};

use carnet_clinical::{Body, parse};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(path);
        }
    }
}

/// Returns the values of `name="…"` attributes in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pattern = format!(" {name}=\"");
    html.match_indices(&pattern)
        .map(|(at, _)| {
            let rest = &html[at + pattern.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

fn check(html: &str, file: &Path) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{}: script", file.display());
    assert!(
        !lower.contains("<style"),
        "{}: style element",
        file.display()
    );
    assert!(!lower.contains("<iframe"), "{}: iframe", file.display());
    assert!(
        !lower.contains(" style=\""),
        "{}: style attribute",
        file.display()
    );
    // Attribute names are written by the renderer: any ` on…=` would be one.
    for (at, _) in lower.match_indices(" on") {
        let name: String = lower[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let inside_tag = lower[..at].rfind('<') > lower[..at].rfind('>');
        let is_attribute = lower[at + 1 + name.len()..].starts_with('=');
        assert!(
            !(inside_tag && is_attribute),
            "{}: {name} attribute",
            file.display()
        );
    }
    for attribute in ["src", "href"] {
        for value in attribute_values(&lower, attribute) {
            let external =
                value.contains("http:") || value.contains("https:") || value.starts_with("//");
            assert!(
                !external,
                "{}: external {attribute} {value}",
                file.display()
            );
            if attribute == "src" {
                assert!(
                    value.starts_with("data:image/"),
                    "{}: src {value}",
                    file.display()
                );
            } else {
                assert!(value.starts_with('#'), "{}: href {value}", file.display());
            }
        }
    }
}

#[test]
fn rendered_html_is_inert() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    files(&root.join("cda"), &mut all);
    files(&root.join("fhir"), &mut all);
    let mut structured = 0;
    for file in all {
        let Ok(import) = parse(&std::fs::read(&file).unwrap()) else {
            continue;
        };
        for document in &import.documents {
            if let Body::Structured(body) = &document.body {
                structured += 1;
                check(&body.html, &file);
                for section in &body.sections {
                    check(&section.html, &file);
                }
            }
        }
    }
    assert!(structured >= 30, "only {structured} structured documents");
}

#[test]
fn hostile_narrative_is_neutralised() {
    let document = br#"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>t</title>
      <component><structuredBody><component><section><title>S</title><text>
        <paragraph onmouseover="steal()" style="background:url(https://evil.invalid/x)">hello</paragraph>
        <linkHtml href="javascript:alert(1)">js</linkHtml>
        <linkHtml href="https://evil.invalid/">out</linkHtml>
        <renderMultiMedia referencedObject="missing"/>
        <table><tr><td styleCode="Bold x&quot;onclick=&quot;y">cell</td></tr></table>
        <content ID="a&quot; onclick=&quot;b">x</content>
      </text></section></component></structuredBody></component></ClinicalDocument>"#;
    let import = parse(document).unwrap();
    let Body::Structured(body) = &import.documents[0].body else {
        panic!("expected a structured body");
    };
    check(&body.html, Path::new("inline"));
    assert!(!body.html.contains("javascript"));
    assert!(!body.html.contains("evil"));
    assert!(body.html.contains("<p>hello</p>"));
    assert!(body.html.contains("<td class=\"cda-bold\">cell</td>"));
}
