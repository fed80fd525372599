//! The handlers: each reads the request, calls one plain function and
//! renders one template.

pub mod admin;
pub mod complaint;
pub mod login;
pub mod register;
