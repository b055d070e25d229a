//! CDA bodies: the embedded file of a level-1 document, the sections of a level-3
//! document rendered to safe HTML, and `observationMedia` attachments.

use std::collections::HashMap;

use crate::html::Renderer;
use crate::media::{Attachment, decode_base64};
use crate::model::{Body, Section, StructuredBody};
use crate::xml::Element;

use super::header::code;

/// Reads `nonXMLBody`: base64 bytes, inline text or an external reference.
pub(super) fn read_unstructured(body: &Element, title: Option<String>) -> Body {
    let Some(text) = body.child("text") else {
        return Body::Empty;
    };
    let declared = text.attr("mediaType");
    if let Some(reference) = text.child("reference").and_then(|r| r.attr("value")) {
        return Body::External {
            url: reference.to_owned(),
            declared_media_type: declared.map(str::to_owned),
        };
    }
    let content = text.raw_text();
    let bytes = if text.attr("representation") == Some("B64") {
        match decode_base64(&content) {
            Some(bytes) => bytes,
            None => return Body::Empty,
        }
    } else {
        content.trim().as_bytes().to_vec()
    };
    if bytes.is_empty() {
        return Body::Empty;
    }
    Body::Unstructured(Attachment::new(bytes, declared, title))
}

/// Renders the sections and collects their `observationMedia`.
pub(super) fn read_structured(sections: &[&Element], title: Option<&str>) -> Body {
    let mut media = HashMap::new();
    let mut attachments = Vec::new();
    for section in sections {
        collect_media(section, &mut media, &mut attachments, None);
    }
    let mut renderer = Renderer::new(&media);
    if let Some(title) = title {
        renderer.text.push_str(title);
        renderer.text.push('\n');
    }
    let mut flat = Vec::new();
    for section in sections {
        render_section(section, 1, &mut renderer, &mut flat);
    }
    Body::Structured(StructuredBody {
        sections: flat,
        html: renderer.html,
        text: renderer.text.trim_end().to_owned(),
        attachments,
    })
}

fn render_section(
    section: &Element,
    level: u8,
    renderer: &mut Renderer<'_>,
    flat: &mut Vec<Section>,
) {
    let section_code = section.child("code").map(code);
    let title = section
        .child("title")
        .and_then(Element::non_empty_text)
        .or_else(|| {
            let code = section_code.as_ref()?.code.as_deref()?;
            french_heading(code).map(str::to_owned)
        })
        .or_else(|| section_code.as_ref().and_then(|c| c.display.clone()))
        .unwrap_or_else(|| "Section".to_owned());

    renderer.html.push_str("<section>\n");
    renderer.heading(level, &title);
    let body_start = renderer.html.len();
    if let Some(text) = section.child("text") {
        renderer.children(text);
    }
    let own_html = renderer.html[body_start..].to_owned();
    flat.push(Section {
        title,
        code: section_code,
        level,
        html: own_html,
    });
    for child in section.children_named("component") {
        if let Some(nested) = child.child("section") {
            render_section(nested, level.saturating_add(1), renderer, flat);
        }
    }
    renderer.html.push_str("</section>\n");
}

/// Collects `observationMedia` by `ID`, captioned with the enclosing section title.
fn collect_media(
    element: &Element,
    media: &mut HashMap<String, Attachment>,
    attachments: &mut Vec<Attachment>,
    section_title: Option<&str>,
) {
    let title = if element.name == "section" {
        element.child("title").and_then(Element::non_empty_text)
    } else {
        None
    };
    let section_title = title.as_deref().or(section_title);
    for child in element.elements() {
        if child.name == "observationMedia" {
            if let Some(attachment) = observation_media(child, section_title) {
                if let Some(id) = child.attr("ID") {
                    media.insert(id.trim().to_owned(), attachment.clone());
                }
                attachments.push(attachment);
            }
        } else {
            collect_media(child, media, attachments, section_title);
        }
    }
}

fn observation_media(element: &Element, section_title: Option<&str>) -> Option<Attachment> {
    let value = element.child("value")?;
    if value.attr("representation") != Some("B64") {
        return None;
    }
    let bytes = decode_base64(&value.raw_text())?;
    let caption = element
        .child("text")
        .and_then(Element::non_empty_text)
        .or_else(|| section_title.map(str::to_owned));
    Some(Attachment::new(bytes, value.attr("mediaType"), caption))
}

/// French headings for sections without a title, by LOINC section code.
fn french_heading(code: &str) -> Option<&'static str> {
    let heading = match code {
        "11369-6" => "Historique des vaccinations",
        "10160-0" => "Traitements",
        "48765-2" => "Allergies et intolérances",
        "11450-4" => "Problèmes actifs",
        "11348-0" => "Antécédents médicaux",
        "10157-6" => "Antécédents familiaux",
        "8716-3" => "Signes vitaux",
        "30954-2" => "Résultats d'examens",
        "47519-4" => "Actes et interventions",
        "29762-2" => "Mode de vie",
        "46240-8" => "Hospitalisations",
        "42348-3" => "Directives anticipées",
        "10164-2" => "Histoire de la maladie",
        "29545-1" | "10210-3" => "Examen clinique",
        "18776-5" => "Plan de soins",
        "61146-7" => "Objectifs",
        "51848-0" => "Évaluation",
        "10183-2" => "Traitements de sortie",
        "11535-2" => "Diagnostic de sortie",
        "46264-8" => "Dispositifs médicaux",
        "48768-6" => "Couverture sociale",
        "10187-3" => "Revue des systèmes",
        "29299-5" | "10154-3" => "Motif de consultation",
        "42349-1" => "Motif d'hospitalisation",
        "8648-8" => "Évolution hospitalière",
        "55109-3" => "Complications",
        "57828-6" | "57833-6" => "Prescription",
        "60593-1" => "Dispensation",
        "11502-2" => "Résultats de biologie",
        "18748-4" => "Compte rendu d'imagerie",
        _ => return None,
    };
    Some(heading)
}
