//! The rules of a rating: a score of 1-5 faces and optional follow-ups.
//!
//! The screens only offer valid choices, so most errors here mean a stale
//! screen or a configuration changed underneath it; they are reported, not
//! repaired, so that no record ever holds an id the central system does not
//! know. A [`Rating`] built by [`validate_rating`] has a score of 1-5,
//! reasons allowed for that score (each once, in the order given), known
//! service and desk ids, and a cleaned comment within its limit. A comment
//! over the limit is an error rather than cut: the visitor's words are not
//! shortened behind their back.

use super::egn::mask_egn;
use super::lang::Lang;
use super::record::Rating;
use super::sanitize::{char_count, clean_text};

/// The lowest score.
pub const MIN_SCORE: u8 = 1;
/// The highest score.
pub const MAX_SCORE: u8 = 5;
/// Scores up to this one ask "what went wrong"; higher ones "what was good".
pub const LOW_SCORE_MAX: u8 = 3;

/// What the visitor chose on the rating screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingDraft {
    pub score: u8,
    /// Service id from the catalogue, if the visitor said.
    pub service: Option<String>,
    /// Desk id from the configuration, if the visitor said.
    pub desk: Option<String>,
    /// Reason ids the visitor ticked.
    pub reasons: Vec<String>,
    pub comment: String,
    pub lang: Lang,
}

/// What a rating may name, from the configuration and the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRules {
    /// Reason ids offered after a score of 1-3 (`[rating] low_reasons`).
    pub low_reasons: Vec<String>,
    /// Reason ids offered after a score of 4-5 (`[rating] high_reasons`).
    pub high_reasons: Vec<String>,
    /// Service ids in the catalogue.
    pub services: Vec<String>,
    /// Desk ids in the configuration.
    pub desks: Vec<String>,
    /// Longest comment, in characters.
    pub comment_max: usize,
}

impl RatingRules {
    /// The comment limit used unless the configuration says otherwise.
    pub const DEFAULT_COMMENT_MAX: usize = 500;

    /// The reasons a score may name.
    pub fn reasons_for(&self, score: u8) -> &[String] {
        if score <= LOW_SCORE_MAX {
            &self.low_reasons
        } else {
            &self.high_reasons
        }
    }
}

/// The question above the follow-up reasons after `score`.
pub fn reasons_question(score: u8, lang: Lang) -> &'static str {
    match (score <= LOW_SCORE_MAX, lang) {
        (true, Lang::Bg) => "Какво не беше наред? (по желание)",
        (true, Lang::En) => "What went wrong? (optional)",
        (false, Lang::Bg) => "Какво ви хареса? (по желание)",
        (false, Lang::En) => "What was good? (optional)",
    }
}

/// What the thanks page says after a rating of `score` (title, line): a
/// low rating is met with an apology and a promise to look into it, never
/// with cheer.
pub fn thanks_words(score: u8, lang: Lang) -> (&'static str, &'static str) {
    match (score <= LOW_SCORE_MAX, lang) {
        (true, Lang::Bg) => (
            "Благодарим ви, че ни казахте.",
            "Съжаляваме, че не бяхте доволни. Ще проверим какво се е случило.",
        ),
        (true, Lang::En) => (
            "Thank you for telling us.",
            "We are sorry you were not satisfied. We will look into what happened.",
        ),
        (false, Lang::Bg) => (
            "Благодарим ви за оценката!",
            "Тя ни помага да ви обслужваме по-добре.",
        ),
        (false, Lang::En) => (
            "Thank you for your rating!",
            "It helps us serve you better.",
        ),
    }
}

/// Why a rating cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("score {0} is outside 1-5; the rating screen sent a value it should not offer")]
    ScoreOutOfRange(u8),
    #[error(
        "reason {reason:?} is not offered for score {score}; check [rating] low_reasons / high_reasons in kiosk.toml"
    )]
    ReasonNotAllowed { reason: String, score: u8 },
    #[error(
        "service {0:?} is not in the catalogue; the screen may be stale after a configuration change"
    )]
    UnknownService(String),
    #[error(
        "desk {0:?} is not in [[desks]] of kiosk.toml; the screen may be stale after a configuration change"
    )]
    UnknownDesk(String),
    #[error("the comment has {len} characters, more than the {max} allowed")]
    CommentTooLong { max: usize, len: usize },
}

impl RatingError {
    /// What the visitor is told: only a long comment is theirs to fix; any
    /// other error is the kiosk's, and they are asked to try again.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RatingError::CommentTooLong { max, len }, Lang::Bg) => {
                format!(
                    "Коментарът е твърде дълъг: {len} знака, а най-много са {max}. Моля, съкратете го."
                )
            }
            (RatingError::CommentTooLong { max, len }, Lang::En) => {
                format!(
                    "The comment is too long: {len} characters, at most {max}. Please shorten it."
                )
            }
            (_, Lang::Bg) => "Оценката не можа да бъде записана. Моля, опитайте отново.".to_owned(),
            (_, Lang::En) => "Your rating could not be saved. Please try again.".to_owned(),
        }
    }
}

/// Turns what the visitor chose into the stored rating.
pub fn validate_rating(draft: &RatingDraft, rules: &RatingRules) -> Result<Rating, RatingError> {
    let score = draft.score;
    if !(MIN_SCORE..=MAX_SCORE).contains(&score) {
        return Err(RatingError::ScoreOutOfRange(score));
    }
    let allowed = rules.reasons_for(score);
    let mut reasons: Vec<String> = Vec::with_capacity(draft.reasons.len());
    for reason in &draft.reasons {
        if !allowed.contains(reason) {
            return Err(RatingError::ReasonNotAllowed {
                reason: reason.clone(),
                score,
            });
        }
        // A double tap that reached us twice is still one reason.
        if !reasons.contains(reason) {
            reasons.push(reason.clone());
        }
    }
    let service = known_id(&draft.service, &rules.services).map_err(RatingError::UnknownService)?;
    let desk = known_id(&draft.desk, &rules.desks).map_err(RatingError::UnknownDesk)?;
    let comment = clean_text(&draft.comment, usize::MAX);
    let len = char_count(&comment);
    if len > rules.comment_max {
        return Err(RatingError::CommentTooLong {
            max: rules.comment_max,
            len,
        });
    }
    Ok(Rating {
        score,
        service,
        desk,
        reasons,
        // A personal number typed by mistake is never kept.
        comment: mask_egn(&comment),
        lang: draft.lang,
    })
}

/// An optional id: blank means not given; otherwise it must be known.
fn known_id(id: &Option<String>, known: &[String]) -> Result<Option<String>, String> {
    match id.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) if known.iter().any(|k| k == id) => Ok(Some(id.to_owned())),
        Some(id) => Err(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personal_number_in_the_comment_is_masked() {
        let draft = RatingDraft {
            score: 2,
            service: None,
            desk: None,
            reasons: vec![],
            comment: "Аз съм 8501011234, чаках дълго.".into(),
            lang: Lang::Bg,
        };
        let rules = RatingRules {
            low_reasons: vec![],
            high_reasons: vec![],
            services: vec![],
            desks: vec![],
            comment_max: RatingRules::DEFAULT_COMMENT_MAX,
        };
        let r = validate_rating(&draft, &rules).unwrap();
        assert_eq!(r.comment, "Аз съм **********, чаках дълго.");
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn rules() -> RatingRules {
        RatingRules {
            low_reasons: ids(&[
                "waiting",
                "courtesy",
                "clarity",
                "competence",
                "equal_treatment",
                "corruption",
            ]),
            high_reasons: ids(&["fast", "kind", "clear"]),
            services: ids(&["2016", "1987"]),
            desks: ids(&["registry", "tax"]),
            comment_max: RatingRules::DEFAULT_COMMENT_MAX,
        }
    }

    fn draft(score: u8) -> RatingDraft {
        RatingDraft {
            score,
            service: None,
            desk: None,
            reasons: vec![],
            comment: String::new(),
            lang: Lang::Bg,
        }
    }

    #[test]
    fn a_bare_score_is_a_rating() {
        for score in 1..=5 {
            let r = validate_rating(&draft(score), &rules()).unwrap();
            assert_eq!(
                (
                    r.score,
                    r.service,
                    r.desk,
                    r.reasons.len(),
                    r.comment.as_str()
                ),
                (score, None, None, 0, "")
            );
        }
    }

    #[test]
    fn scores_outside_one_to_five_are_refused() {
        for score in [0, 6, 255] {
            assert_eq!(
                validate_rating(&draft(score), &rules()),
                Err(RatingError::ScoreOutOfRange(score))
            );
        }
    }

    #[test]
    fn low_scores_take_low_reasons_and_high_scores_high_ones() {
        let low = RatingDraft {
            reasons: ids(&["waiting", "corruption"]),
            ..draft(1)
        };
        assert_eq!(
            validate_rating(&low, &rules()).unwrap().reasons,
            ["waiting", "corruption"]
        );
        let high = RatingDraft {
            reasons: ids(&["kind"]),
            ..draft(5)
        };
        assert_eq!(validate_rating(&high, &rules()).unwrap().reasons, ["kind"]);
    }

    #[test]
    fn a_reason_from_the_other_list_is_refused() {
        let d = RatingDraft {
            reasons: ids(&["waiting"]),
            ..draft(4)
        };
        assert_eq!(
            validate_rating(&d, &rules()),
            Err(RatingError::ReasonNotAllowed {
                reason: "waiting".into(),
                score: 4
            })
        );
        let d = RatingDraft {
            reasons: ids(&["kind"]),
            ..draft(3)
        };
        assert!(matches!(
            validate_rating(&d, &rules()),
            Err(RatingError::ReasonNotAllowed { .. })
        ));
        let d = RatingDraft {
            reasons: ids(&["bribe"]),
            ..draft(1)
        };
        assert!(matches!(
            validate_rating(&d, &rules()),
            Err(RatingError::ReasonNotAllowed { .. })
        ));
    }

    #[test]
    fn repeated_reasons_are_kept_once() {
        let d = RatingDraft {
            reasons: ids(&["waiting", "clarity", "waiting"]),
            ..draft(2)
        };
        assert_eq!(
            validate_rating(&d, &rules()).unwrap().reasons,
            ["waiting", "clarity"]
        );
    }

    #[test]
    fn service_and_desk_must_be_known() {
        let d = RatingDraft {
            service: Some("2016".into()),
            desk: Some("tax".into()),
            ..draft(4)
        };
        let r = validate_rating(&d, &rules()).unwrap();
        assert_eq!(
            (r.service.as_deref(), r.desk.as_deref()),
            (Some("2016"), Some("tax"))
        );
        let d = RatingDraft {
            service: Some("9999".into()),
            ..draft(4)
        };
        assert_eq!(
            validate_rating(&d, &rules()),
            Err(RatingError::UnknownService("9999".into()))
        );
        let d = RatingDraft {
            desk: Some("mayor".into()),
            ..draft(4)
        };
        assert_eq!(
            validate_rating(&d, &rules()),
            Err(RatingError::UnknownDesk("mayor".into()))
        );
    }

    #[test]
    fn blank_service_or_desk_means_not_given() {
        let d = RatingDraft {
            service: Some(" ".into()),
            desk: Some(String::new()),
            ..draft(4)
        };
        let r = validate_rating(&d, &rules()).unwrap();
        assert_eq!((r.service, r.desk), (None, None));
    }

    #[test]
    fn the_comment_is_cleaned() {
        let d = RatingDraft {
            comment: "  Много\u{202e} бързо \r\n\r\n\r\n благодаря!\u{7} ".into(),
            ..draft(5)
        };
        assert_eq!(
            validate_rating(&d, &rules()).unwrap().comment,
            "Много бързо\n\nблагодаря!"
        );
    }

    #[test]
    fn a_long_comment_is_refused_not_cut() {
        let rules = RatingRules {
            comment_max: 10,
            ..rules()
        };
        let d = RatingDraft {
            comment: "абвгдежзийк".into(),
            ..draft(2)
        };
        let err = validate_rating(&d, &rules).unwrap_err();
        assert_eq!(err, RatingError::CommentTooLong { max: 10, len: 11 });
        assert!(err.message(Lang::Bg).contains("11 знака"));
        // Exactly at the limit, counted in letters, not bytes.
        let d = RatingDraft {
            comment: "абвгдежзий".into(),
            ..draft(2)
        };
        assert!(validate_rating(&d, &rules).is_ok());
    }

    #[test]
    fn errors_tell_the_technician_where_to_look() {
        let e = RatingError::ReasonNotAllowed {
            reason: "x".into(),
            score: 2,
        };
        assert!(e.to_string().contains("kiosk.toml"));
        assert!(
            RatingError::UnknownDesk("x".into())
                .to_string()
                .contains("[[desks]]")
        );
        assert!(
            RatingError::ScoreOutOfRange(9)
                .message(Lang::En)
                .contains("try again")
        );
    }
}
