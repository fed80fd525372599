//! The complaint register's actions: register, answer, extend, close as
//! not examined. The CLI and the registry desk's pages call the same
//! functions in [`actions`].

pub mod actions;
