//! Shared helpers: finding the conformance vectors in /work/shared/vectors.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// `../../shared/vectors/sdp` from the crate, or `None` (after printing a
/// notice) when it is missing and CI is unset. With CI set, a missing folder
/// fails the test.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/sdp"
    ));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "SDP vectors missing at {} (CI is set)",
        dir.display()
    );
    eprintln!("notice: SDP vectors missing at {}, skipping", dir.display());
    None
}

/// Every `.sdp` file under the vectors folder, sorted, with its path
/// relative to it.
pub fn sdp_files() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = vectors_dir() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read vectors dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sdp") {
                let rel = p
                    .strip_prefix(&dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).expect("read vector")));
            }
        }
    }
    out.sort();
    assert!(
        out.len() > 100,
        "expected the SDP vector set, found {} files",
        out.len()
    );
    out
}
