//! Trickle ICE against Chromium's recorded `RTCIceCandidate.toJSON()` output
//! (`chromium/*-candidates.json`): every candidate string parses and prints
//! back unchanged, its sdpMid/sdpMLineIndex/usernameFragment agree with the
//! offer, and the gathered SDP holds the same candidate (without `ufrag`).
#![cfg(feature = "json")]

mod common;

use codec_sdp::{Candidate, CandidateInit, Sdp};

#[test]
fn chromium_trickled_candidates() {
    let Some(dir) = common::vectors_dir() else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.join("chromium")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix("-candidates.json") else {
            continue;
        };
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let sdp =
            Sdp::parse(&std::fs::read(dir.join(format!("chromium/{stem}.sdp"))).unwrap()).unwrap();
        let gathered =
            Sdp::parse(&std::fs::read(dir.join(format!("chromium/{stem}-gathered.sdp"))).unwrap())
                .unwrap();
        let in_sdp: Vec<String> = gathered
            .candidate_inits()
            .into_iter()
            .map(|c| c.candidate)
            .collect();
        let mut with_trickle = sdp.clone();
        for c in json["cands"].as_array().unwrap() {
            if c.is_null() {
                continue;
            }
            let init: CandidateInit = serde_json::from_value(c.clone()).unwrap();
            let cand = Candidate::parse(&init.candidate).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(cand.to_string(), init.candidate);
            let idx = usize::from(init.sdp_m_line_index.unwrap());
            let m = sdp.media_at(idx).unwrap();
            assert_eq!(m.mid(), init.sdp_mid.as_deref(), "{name}");
            assert_eq!(cand.ufrag(), m.effective_ice_ufrag(), "{name}");
            assert_eq!(init.username_fragment.as_deref(), cand.ufrag());
            // Chromium drops `ufrag` in the SDP form of the same candidate.
            let without: String = cand
                .to_string()
                .replace(&format!(" ufrag {}", cand.ufrag().unwrap()), "");
            assert!(
                in_sdp.contains(&without),
                "{name}: {without} not in gathered SDP"
            );
            assert_eq!(serde_json::to_value(&init).unwrap(), *c);
            with_trickle.add_candidate(&init).unwrap();
            seen += 1;
        }
        with_trickle
            .add_candidate(&CandidateInit {
                sdp_m_line_index: Some(0),
                ..Default::default()
            })
            .unwrap();
        let again = Sdp::parse(&with_trickle.to_bytes()).unwrap();
        assert!(
            again.warnings().is_empty(),
            "{name}: {:?}",
            again.warnings()
        );
        assert_eq!(
            again.candidate_inits().len(),
            json["cands"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| !c.is_null())
                .count()
        );
        assert!(again
            .media_at(0)
            .unwrap()
            .has_attribute("end-of-candidates"));
    }
    assert!(seen > 10, "only {seen} candidates checked");
}
