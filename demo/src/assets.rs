//! The page: embedded in the binary (so the demo runs with no files around it), plus the npm
//! package's browser build read from disk when it has been built.

use std::path::{Component, Path};

/// An asset: body and media type.
pub(crate) struct Asset {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: &'static str,
}

const INDEX: &str = include_str!("../static/index.html");
const APP_JS: &str = include_str!("../static/app.js");
const STYLE: &str = include_str!("../static/style.css");

/// The asset for `path`, if there is one.
pub(crate) fn lookup(pkg_dir: &Path, path: &str) -> Option<Asset> {
    let embedded = |s: &str, t| {
        Some(Asset {
            body: s.as_bytes().to_vec(),
            content_type: t,
        })
    };
    match path {
        "/" | "/index.html" => embedded(INDEX, "text/html; charset=utf-8"),
        "/static/app.js" => embedded(APP_JS, "text/javascript; charset=utf-8"),
        "/static/style.css" => embedded(STYLE, "text/css; charset=utf-8"),
        _ => {
            let rel = path.strip_prefix("/pkg/")?;
            let rel = Path::new(rel);
            // Only plain names below the package folder: no `..`, no absolute paths.
            if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
                return None;
            }
            let body = std::fs::read(pkg_dir.join(rel)).ok()?;
            Some(Asset {
                body,
                content_type: content_type(rel),
            })
        }
    }
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pages_and_safe_paths() {
        let dir = Path::new("/nonexistent");
        assert!(lookup(dir, "/")
            .unwrap()
            .body
            .starts_with(b"<!doctype html>"));
        assert_eq!(
            lookup(dir, "/static/app.js").unwrap().content_type,
            "text/javascript; charset=utf-8"
        );
        assert!(lookup(dir, "/pkg/../Cargo.toml").is_none());
        assert!(lookup(Path::new(env!("CARGO_MANIFEST_DIR")), "/pkg/../Cargo.toml").is_none());
        assert!(lookup(Path::new(env!("CARGO_MANIFEST_DIR")), "/pkg/Cargo.toml").is_some());
    }
}
