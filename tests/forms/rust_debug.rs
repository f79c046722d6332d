// SPDX-License-Identifier: ISC
// Conformance form: Rust's {:?} of each value, alone and in a derived
// Debug (as dbg! and a logged configuration print it), and its
// escape_debug() and escape_default(); its characters as a Vec<char>
// and its bytes in {:x?}, after a label and in a derived Debug.
use std::env;

#[derive(Debug)]
struct Config {
    name: String,
    secret: String,
}

#[derive(Debug)]
struct Login {
    user: &'static str,
    password: Vec<char>,
}

fn main() {
    println!("FORMS-MARKER rust_debug");
    for name in env::var("FORMS_NAMES").unwrap().split(',') {
        let v = env::var(name).unwrap();
        println!("{}: {:?}", name, v);
        println!("{:?}", Config { name: name.to_string(), secret: v.clone() });
        println!("{}: {} {}", name, v.escape_debug(), v.escape_default());
        let chars: Vec<char> = v.chars().collect();
        println!("{}: {:?}", name, chars);
        println!("{:?}", Login { user: "app", password: chars });
        println!("{} bytes: {:x?}", name, v.as_bytes());
    }
}
