//! `journeys`: the command line for journey files.

fn main() {}
