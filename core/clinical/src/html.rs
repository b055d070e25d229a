//! Safe HTML from CDA narrative blocks and FHIR XHTML `div`s.
//!
//! Rendering never copies markup through: it walks the parsed tree and writes only
//! elements from an allow-list, mapping CDA narrative names to HTML (`paragraph` to
//! `p`, `content` to `span`, `list`/`item` to `ul`/`li`…). The output therefore has
//! no script, no `style` attribute, no `on*` attribute and no external reference:
//! links keep only in-document `#fragment` targets, and images appear only as
//! `data:` URLs of bytes whose magic numbers identify PNG, JPEG, GIF or WebP.

use std::collections::HashMap;

use crate::media::{Attachment, data_url, decode_base64, sniff_media_type};
use crate::xml::{Element, Node};

/// Elements dropped together with their content.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea",
    "select", "svg", "math", "link", "meta", "base", "frame", "frameset", "applet", "audio",
    "video", "source", "template", "head", "title",
];

/// Renders narrative to HTML and plain text.
pub(crate) struct Renderer<'a> {
    /// Files referenced by `renderMultiMedia`, keyed by `ID`.
    pub media: &'a HashMap<String, Attachment>,
    pub html: String,
    pub text: String,
}

impl<'a> Renderer<'a> {
    pub fn new(media: &'a HashMap<String, Attachment>) -> Renderer<'a> {
        Renderer {
            media,
            html: String::new(),
            text: String::new(),
        }
    }

    /// Renders a heading for a section.
    pub fn heading(&mut self, level: u8, title: &str) {
        let level = level.clamp(1, 4) + 1;
        self.html.push_str(&format!("<h{level}>"));
        escape_into(&mut self.html, title);
        self.html.push_str(&format!("</h{level}>\n"));
        self.block_break();
        self.text.push_str(title);
        self.block_break();
    }

    /// Renders the children of a narrative `text` element or an XHTML `div`.
    pub fn children(&mut self, element: &Element) {
        // A section text may be base64 plain text instead of narrative markup.
        if element.attr("representation") == Some("B64") {
            let decoded = decode_base64(&element.raw_text());
            let text = decoded.and_then(|bytes| match sniff_media_type(&bytes) {
                Some("text/plain") => String::from_utf8(bytes).ok(),
                _ => None,
            });
            if let Some(text) = text {
                self.html.push_str("<pre>");
                escape_into(&mut self.html, &text);
                self.html.push_str("</pre>\n");
                self.text.push_str(&text);
                self.block_break();
            }
            return;
        }
        for node in &element.children {
            match node {
                Node::Text(text) => self.text_node(text),
                Node::Element(child) => self.element(child),
            }
        }
    }

    fn text_node(&mut self, text: &str) {
        escape_into(&mut self.html, text);
        let collapsed = crate::xml::collapse_whitespace(text);
        if !collapsed.is_empty() {
            if text.starts_with(char::is_whitespace) && !self.text.ends_with(['\n', ' ']) {
                self.text.push(' ');
            }
            self.text.push_str(&collapsed);
            if text.ends_with(char::is_whitespace) {
                self.text.push(' ');
            }
        }
    }

    fn block_break(&mut self) {
        let trimmed = self.text.trim_end_matches(' ').len();
        self.text.truncate(trimmed);
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn element(&mut self, element: &Element) {
        let name = element.name.as_str();
        if DROPPED.contains(&name.to_ascii_lowercase().as_str()) {
            return;
        }
        match name {
            "br" => {
                self.html.push_str("<br>");
                self.text.push('\n');
            }
            "hr" => self.html.push_str("<hr>"),
            "renderMultiMedia" => self.multimedia(element),
            "img" => self.image(element),
            "linkHtml" | "a" => self.link(element),
            "list" | "ul" | "ol" => {
                let ordered = name == "ol" || element.attr("listType") == Some("ordered");
                let tag = if ordered { "ol" } else { "ul" };
                self.wrap(tag, element, true);
            }
            _ => match html_tag(name) {
                Some((tag, block)) => self.wrap(tag, element, block),
                None => self.children(element),
            },
        }
    }

    fn wrap(&mut self, tag: &str, element: &Element, block: bool) {
        self.html.push('<');
        self.html.push_str(tag);
        self.attributes(tag, element);
        self.html.push('>');
        self.children(element);
        self.html.push_str("</");
        self.html.push_str(tag);
        self.html.push('>');
        if block {
            self.html.push('\n');
            self.block_break();
        } else if matches!(tag, "td" | "th") {
            self.text.push(' ');
        }
    }

    fn attributes(&mut self, tag: &str, element: &Element) {
        let id = element.attr("ID").or_else(|| element.attr("id"));
        if let Some(id) = id.and_then(safe_token) {
            self.html.push_str(&format!(" id=\"{id}\""));
        }
        let classes: Vec<String> = element
            .attr("styleCode")
            .into_iter()
            .chain(element.attr("class"))
            .flat_map(str::split_whitespace)
            .filter_map(safe_token)
            .map(|token| format!("cda-{}", token.to_ascii_lowercase()))
            .collect();
        if !classes.is_empty() {
            self.html
                .push_str(&format!(" class=\"{}\"", classes.join(" ")));
        }
        if matches!(tag, "td" | "th") {
            for span in ["colspan", "rowspan"] {
                let value = element.attr(span).or_else(|| {
                    element
                        .attributes
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(span))
                        .map(|(_, v)| v.as_str())
                });
                if let Some(value) =
                    value.filter(|v| v.len() <= 3 && v.bytes().all(|b| b.is_ascii_digit()))
                {
                    self.html.push_str(&format!(" {span}=\"{value}\""));
                }
            }
        }
    }

    fn link(&mut self, element: &Element) {
        let target = element
            .attr("href")
            .and_then(|href| href.strip_prefix('#'))
            .and_then(safe_token);
        match target {
            Some(fragment) => {
                self.html.push_str(&format!("<a href=\"#{fragment}\">"));
                self.children(element);
                self.html.push_str("</a>");
            }
            None => self.children(element),
        }
    }

    fn multimedia(&mut self, element: &Element) {
        let Some(reference) = element.attr("referencedObject") else {
            return;
        };
        let Some(attachment) = self.media.get(reference.trim()) else {
            return;
        };
        let caption = element
            .child("caption")
            .and_then(Element::non_empty_text)
            .or_else(|| attachment.caption.clone());
        if attachment.is_displayable_image() {
            self.html.push_str("<img src=\"");
            self.html.push_str(&data_url(attachment));
            self.html.push_str("\" alt=\"");
            escape_into(&mut self.html, caption.as_deref().unwrap_or(""));
            self.html.push_str("\">");
        } else {
            // Not displayable inline: the vault lists it with the attachments.
            self.html.push_str("<span class=\"cda-attachment\">");
            let label =
                caption.unwrap_or_else(|| format!("Pièce jointe ({})", attachment.media_type));
            escape_into(&mut self.html, &label);
            self.html.push_str("</span>");
        }
    }

    fn image(&mut self, element: &Element) {
        let Some(source) = element.attr("src") else {
            return;
        };
        let Some(encoded) = source
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(";base64,"))
            .map(|(_, data)| data)
        else {
            return;
        };
        let Some(bytes) = decode_base64(encoded) else {
            return;
        };
        let attachment = Attachment::new(bytes, None, element.attr("alt").map(str::to_owned));
        if attachment.is_displayable_image() {
            self.html.push_str("<img src=\"");
            self.html.push_str(&data_url(&attachment));
            self.html.push_str("\" alt=\"");
            escape_into(&mut self.html, attachment.caption.as_deref().unwrap_or(""));
            self.html.push_str("\">");
        }
    }
}

/// Maps an allowed narrative or XHTML element to its HTML tag and whether it is
/// a block.
fn html_tag(name: &str) -> Option<(&'static str, bool)> {
    let mapped = match name {
        "paragraph" | "p" => ("p", true),
        "content" | "span" => ("span", false),
        "div" => ("div", true),
        "item" | "li" => ("li", true),
        "table" => ("table", true),
        "thead" => ("thead", true),
        "tbody" => ("tbody", true),
        "tfoot" => ("tfoot", true),
        "tr" => ("tr", true),
        "th" => ("th", false),
        "td" => ("td", false),
        "caption" => ("caption", true),
        "col" => ("col", false),
        "colgroup" => ("colgroup", false),
        "sub" => ("sub", false),
        "sup" | "footnoteRef" => ("sup", false),
        "footnote" => ("small", false),
        "b" | "strong" => ("strong", false),
        "i" | "em" => ("em", false),
        "u" => ("u", false),
        "pre" => ("pre", true),
        "code" => ("code", false),
        "blockquote" => ("blockquote", true),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => ("h5", true),
        "dl" => ("dl", true),
        "dt" => ("dt", true),
        "dd" => ("dd", true),
        _ => return None,
    };
    Some(mapped)
}

/// Keeps an id or class token only when it is plain ASCII word characters.
fn safe_token(token: &str) -> Option<&str> {
    let token = token.trim();
    let valid = !token.is_empty()
        && token.len() <= 128
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    valid.then_some(token)
}

pub(crate) fn escape_into(out: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{XmlLimits, parse};

    fn render(markup: &str) -> (String, String) {
        let root = parse(markup, XmlLimits::default()).unwrap();
        let media = HashMap::new();
        let mut renderer = Renderer::new(&media);
        renderer.children(&root);
        (renderer.html, renderer.text)
    }

    #[test]
    fn drops_scripts_and_handlers() {
        let (html, _) = render(
            "<text><paragraph onclick=\"x()\" style=\"background:url(http://e.invalid)\">Hi\
             <script>alert(1)</script></paragraph><a href=\"https://e.invalid\">out</a>\
             <img src=\"http://e.invalid/x.png\"/></text>",
        );
        assert_eq!(html, "<p>Hi</p>\nout");
    }

    #[test]
    fn maps_narrative_elements() {
        let (html, text) = render(
            "<text><list listType=\"ordered\"><item>A</item><item>B &amp; C</item></list>\
             <table><tr><td colspan=\"2\" styleCode=\"Bold\">x</td></tr></table></text>",
        );
        assert_eq!(
            html,
            "<ol><li>A</li>\n<li>B &amp; C</li>\n</ol>\n<table><tr><td class=\"cda-bold\" colspan=\"2\">x</td></tr>\n</table>\n"
        );
        assert_eq!(text, "A\nB & C\nx\n");
    }

    #[test]
    fn keeps_fragment_links_only() {
        let (html, _) = render("<text><linkHtml href=\"#vac-01\">ref</linkHtml></text>");
        assert_eq!(html, "<a href=\"#vac-01\">ref</a>");
    }
}
