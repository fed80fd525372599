//! The one error type of the HTTP side, and how each becomes an answer.
//!
//! Every handler returns `Result<_, ApiError>`; this is the only place
//! that picks status codes for failures. Database trouble is a 503 with
//! `Retry-After`, so a kiosk retries later and loses nothing; the details go
//! to the log, not to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing or unknown token")]
    Unauthorized,
    #[error("this token belongs to another kiosk")]
    Forbidden,
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the body was not sent in time")]
    SlowBody,
    #[error("{0}")]
    BadRequest(String),
    #[error("no such kiosk")]
    NotFound,
    #[error("the server is busy; try again later")]
    Busy,
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::SlowBody => StatusCode::REQUEST_TIMEOUT,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Busy | ApiError::Db(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        let message = match &self {
            ApiError::Db(e) => {
                tracing::error!(error = %e, "database error while answering a request");
                "the database is not available; try again later".to_string()
            }
            other => other.to_string(),
        };
        let mut response =
            (status, axum::Json(serde_json::json!({ "error": message }))).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        if matches!(self, ApiError::TooLarge(_) | ApiError::SlowBody) {
            // The rest of the body was not read: the connection cannot carry
            // another request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}
