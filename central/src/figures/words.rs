//! The words of the figures pages, Bulgarian and English.

use kiosk_rules::domain::lang::Lang;

pub struct Words {
    pub title: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub kiosk: &'static str,
    pub service: &'static str,
    pub desk: &'static str,
    pub any: &'static str,
    pub show: &'static str,
    pub all: &'static str,
    pub count: &'static str,
    pub mean: &'static str,
    pub csat: &'static str,
    pub score: &'static str,
    pub share: &'static str,
    pub distribution: &'static str,
    pub reasons: &'static str,
    pub reason: &'static str,
    pub no_reasons: &'static str,
    pub trend: &'static str,
    pub trend_desc: &'static str,
    pub week: &'static str,
    pub heatmap: &'static str,
    pub heatmap_desc: &'static str,
    pub day: &'static str,
    pub by_service: &'static str,
    pub by_desk: &'static str,
    pub weekdays: [&'static str; 7],
    pub bad_period: &'static str,
    pub db_down: &'static str,
    pub other_lang: &'static str,
    pub other_lang_code: &'static str,
    lang: Lang,
}

impl Words {
    /// The low-rating banner.
    pub fn alert(&self, all: u64, low: u64) -> String {
        match self.lang {
            Lang::Bg => format!(
                "Внимание: през последния час {low} от {all} оценки са ниски (1–3). Проверете какво се случва на гишетата."
            ),
            Lang::En => format!(
                "Attention: {low} of the last hour's {all} ratings are low (1–3). Check what is happening at the desks."
            ),
        }
    }
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Bg => &BG,
        Lang::En => &EN,
    }
}

const BG: Words = Words {
    title: "Удовлетвореност",
    from: "От",
    to: "До",
    kiosk: "Киоск",
    service: "Услуга (код)",
    desk: "Гише (код)",
    any: "всички; „-“ = непосочено",
    show: "Покажи",
    all: "Всички оценки",
    count: "Брой",
    mean: "Средна оценка",
    csat: "Дял 4 и 5",
    score: "Оценка",
    share: "Дял",
    distribution: "Разпределение на оценките",
    reasons: "Причини при ниска оценка (1–3)",
    reason: "Причина",
    no_reasons: "Няма посочени причини.",
    trend: "Дял на оценките 4 и 5 по седмици",
    trend_desc: "Линията е делът на оценките 4 и 5 за всяка седмица; светлите стълбчета са броят оценки. Числата са в таблицата под графиката.",
    week: "Седмица",
    heatmap: "Оценки по ден и час",
    heatmap_desc: "Брой оценки по ден от седмицата и час (Europe/Sofia); „!“ и червена рамка: повечето оценки в клетката са ниски.",
    day: "Ден",
    by_service: "По услуги",
    by_desk: "По гишета",
    weekdays: ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"],
    bad_period: "Периодът не е верен (до три години, „от“ не след „до“); показана е текущата година.",
    db_down: "Базата данни не отговаря; опитайте отново след малко.",
    other_lang: "English",
    other_lang_code: "en",
    lang: Lang::Bg,
};

const EN: Words = Words {
    title: "Satisfaction",
    from: "From",
    to: "To",
    kiosk: "Kiosk",
    service: "Service (code)",
    desk: "Desk (code)",
    any: "all; \"-\" = not said",
    show: "Show",
    all: "All ratings",
    count: "Count",
    mean: "Mean score",
    csat: "Share of 4 and 5",
    score: "Score",
    share: "Share",
    distribution: "Distribution of scores",
    reasons: "Reasons given for low ratings (1–3)",
    reason: "Reason",
    no_reasons: "No reasons given.",
    trend: "Share of 4 and 5 by week",
    trend_desc: "The line is each week's share of 4 and 5; the light bars are the number of ratings. The figures are in the table below the chart.",
    week: "Week",
    heatmap: "Ratings by day and hour",
    heatmap_desc: "Ratings by weekday and hour (Europe/Sofia); \"!\" and a red frame: most ratings in the cell are low.",
    day: "Day",
    by_service: "By service",
    by_desk: "By desk",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    bad_period: "The period is not valid (up to three years, \"from\" not after \"to\"); this year is shown.",
    db_down: "The database does not answer; try again in a moment.",
    other_lang: "Български",
    other_lang_code: "bg",
    lang: Lang::En,
};
