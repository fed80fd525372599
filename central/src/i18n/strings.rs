//! The table of labels: one field per word or phrase a clerk reads.

use kiosk_rules::domain::lang::Lang;
use kiosk_rules::domain::record::Flag;

/// The labels of one language. Fields are grouped by where they appear.
#[derive(Debug)]
pub struct Strings {
    pub lang: Lang,

    // The registry copy (A4 PDF).
    pub copy_title: &'static str,
    pub desk: &'static str,
    pub number: &'static str,
    pub check_code: &'static str,
    pub ctype: &'static str,
    pub category: &'static str,
    pub kiosk: &'static str,
    pub filed: &'static str,
    pub clock_not_trusted: &'static str,
    pub due: &'static str,
    pub due_how: &'static str,
    pub no_due: &'static str,
    pub text: &'static str,
    pub filer: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub anonymous: &'static str,
    pub flags: &'static str,
    pub none: &'static str,
    pub status: &'static str,
    pub registry_entry: &'static str,
    pub registry_number: &'static str,
    pub registered_on: &'static str,
    pub received_by: &'static str,
    pub signature: &'static str,
    pub date: &'static str,
    pub page: &'static str,
    pub page_of: &'static str,
    pub continued: &'static str,
    pub day_title: &'static str,
    pub day_none: &'static str,
    pub day_count: &'static str,

    // Flags a kiosk may set on a record.
    pub flag_offensive: &'static str,
    pub flag_anonymous_health_safety: &'static str,
    pub flag_personal_data_topic: &'static str,
    pub flag_classified_topic: &'static str,
    pub flag_personal_number: &'static str,
    pub flag_suspected_corruption: &'static str,

    // Statuses of a complaint in the register.
    pub status_new: &'static str,
    pub status_registered: &'static str,
    pub status_answered: &'static str,
    pub status_extended: &'static str,
    pub status_not_examined: &'static str,

    // How a due date was computed.
    pub due_month_later: &'static str,
    pub due_is_working_day: &'static str,
    pub due_moved: &'static str,
    pub due_kiosk_differs: &'static str,
    pub due_extended_to: &'static str,
    pub due_not_owed: &'static str,
    pub due_anonymous: &'static str,
    pub due_at_desk: &'static str,

    // The pages.
    pub other_language: &'static str,
    pub other_lang_code: &'static str,
    pub nav_label: &'static str,
    pub nav_register: &'static str,
    pub nav_satisfaction: &'static str,
    pub nav_fleet: &'static str,
    pub nav_config: &'static str,
    pub nav_users: &'static str,
    pub nav_audit: &'static str,
    pub logout: &'static str,
    pub role_clerk: &'static str,
    pub role_viewer: &'static str,
    pub role_admin: &'static str,
    pub login_title: &'static str,
    pub login_name: &'static str,
    pub login_password: &'static str,
    pub login_button: &'static str,
    pub login_refused: &'static str,
    pub login_locked: &'static str,
    pub register_title: &'static str,
    pub filters: &'static str,
    pub search: &'static str,
    pub any: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub overdue: &'static str,
    pub due_soon: &'static str,
    pub apply: &'static str,
    pub clear: &'static str,
    pub csv: &'static str,
    pub count_shown: &'static str,
    pub count_total: &'static str,
    pub nothing_found: &'static str,
    pub day_pdf: &'static str,
    pub day_pdf_button: &'static str,
    pub col_due: &'static str,
    pub col_filed: &'static str,
    pub col_filer: &'static str,
    pub overdue_mark: &'static str,
    pub due_soon_mark: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub complaint_title: &'static str,
    pub copy_pdf: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub by: &'static str,
    pub personal_hidden: &'static str,
    pub actions: &'static str,
    pub act_register: &'static str,
    pub act_register_help: &'static str,
    pub act_answer: &'static str,
    pub act_answer_help: &'static str,
    pub act_extend: &'static str,
    pub act_extend_help: &'static str,
    pub act_not_examined: &'static str,
    pub act_not_examined_help: &'static str,
    pub new_due_date: &'static str,
    pub reason: &'static str,
    pub told_on: &'static str,
    pub answered_on: &'static str,
    pub reason_anonymous: &'static str,
    pub reason_offensive: &'static str,
    pub closed_note: &'static str,
    pub bad_date: &'static str,
    pub done: &'static str,
    pub err_registry_number: &'static str,
    pub err_already_registered: &'static str,
    pub err_before_filing: &'static str,
    pub err_before_registration: &'static str,
    pub err_future: &'static str,
    pub err_shortens: &'static str,
    pub err_reason: &'static str,
    pub err_closed: &'static str,
    pub err_not_anonymous: &'static str,
    pub err_other: &'static str,
    pub audit_title: &'static str,
    pub audit_note: &'static str,
    pub col_at: &'static str,
    pub col_actor: &'static str,
    pub col_action: &'static str,
    pub col_target: &'static str,
    pub col_details: &'static str,
    pub users_title: &'static str,
    pub col_role: &'static str,
    pub col_state: &'static str,
    pub locked_until: &'static str,
    pub disabled: &'static str,
    pub active: &'static str,
    pub unlock: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub add_user: &'static str,
    pub save: &'static str,
    pub role: &'static str,
}

impl Strings {
    /// A role (`clerk`, `viewer`, `admin`) in words.
    pub fn role_name(&self, role: &str) -> &'static str {
        match role {
            "clerk" => self.role_clerk,
            "admin" => self.role_admin,
            _ => self.role_viewer,
        }
    }

    /// Fills `{0}`, `{1}`, ... of `template` with `args`.
    pub fn fill(template: &str, args: &[&str]) -> String {
        let mut out = template.to_owned();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), a);
        }
        out
    }

    /// A flag in words.
    pub fn flag(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::OffensiveLanguage => self.flag_offensive,
            Flag::AnonymousHealthSafety => self.flag_anonymous_health_safety,
            Flag::PersonalDataTopic => self.flag_personal_data_topic,
            Flag::ClassifiedInformationTopic => self.flag_classified_topic,
            Flag::PersonalNumber => self.flag_personal_number,
            Flag::SuspectedCorruption => self.flag_suspected_corruption,
        }
    }
}
