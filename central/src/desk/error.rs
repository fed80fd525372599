//! The one error type of the desk's pages and how each becomes an answer.
//!
//! A missing or ended session is a redirect to the login page, whatever was
//! asked; everything else is a short page in both languages that tells the
//! clerk what to do. Database details go to the log, never to the page.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::pdf::PdfError;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("no session")]
    LoginNeeded,
    #[error("this page is not for your role")]
    Forbidden,
    #[error("the form is out of date")]
    BadCsrf,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("PDF: {0}")]
    Pdf(#[from] PdfError),
    #[error("{0}")]
    Internal(String),
}

impl IntoResponse for DeskError {
    fn into_response(self) -> Response {
        let (status, bg, en) = match &self {
            DeskError::LoginNeeded => {
                return (StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/login")])
                    .into_response();
            }
            DeskError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Тази страница не е достъпна за вашата роля.",
                "This page is not available to your role.",
            ),
            DeskError::BadCsrf => (
                StatusCode::FORBIDDEN,
                "Формулярът е остарял. Върнете се, презаредете страницата и опитайте отново.",
                "The form is out of date. Go back, reload the page and try again.",
            ),
            DeskError::NotFound => (
                StatusCode::NOT_FOUND,
                "Няма такава страница или жалба.",
                "No such page or complaint.",
            ),
            DeskError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "Заявката не може да бъде изпълнена.",
                "The request cannot be carried out.",
            ),
            DeskError::Db(e) => {
                tracing::error!(error = %e, "database error on a desk page");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Базата данни не е достъпна. Опитайте след минута.",
                    "The database is not available. Try again in a minute.",
                )
            }
            DeskError::Pdf(e) => {
                tracing::error!(error = %e, "registry copy failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Документът не можа да бъде създаден.",
                    "The document could not be made.",
                )
            }
            DeskError::Internal(e) => {
                tracing::error!(error = %e, "desk page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Възникна грешка.",
                    "Something went wrong.",
                )
            }
        };
        let page = format!(
            "<!doctype html><html lang=\"bg\"><meta charset=\"utf-8\"><title>{}</title>\
             <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">\
             <h1>{}</h1><p lang=\"en\">{}</p><p><a href=\"/desk/\">Регистър / Register</a></p></body></html>",
            status.as_u16(),
            bg,
            en
        );
        (status, Html(page)).into_response()
    }
}
