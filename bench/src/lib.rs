//! Shared inputs for the side-by-side benchmarks.
