use crate::app::{App, complaint, rating};

/// The cells of the table with `id`, row by row.
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html.find(&format!("<table id=\"{id}\">")).unwrap();
    let body = &html[start..];
    let body = &body[..body.find("</table>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap().to_string())
                .collect()
        })
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_draws_svg_charts_with_the_seeded_figures_in_tables() {
    let app = App::spawn("").await;
    // Monday 23 November 2026, 10:41 Sofia: 1, 2, 4, 5, 5; Wednesday 14:00: 3.
    app.deliver(&[
        rating(
            1,
            "2026-11-23T10:41:55+02:00",
            "registry",
            &["waiting"],
            "Бавно и грубо, Иван Петров",
        ),
        rating(
            2,
            "2026-11-23T10:42:55+02:00",
            "registry",
            &["waiting", "courtesy"],
            "",
        ),
        rating(4, "2026-11-23T10:43:55+02:00", "registry", &[], ""),
        rating(5, "2026-11-23T10:44:55+02:00", "cashier", &[], ""),
        rating(5, "2026-11-23T08:44:55Z", "cashier", &[], ""),
        rating(3, "2026-11-25T14:00:00+02:00", "", &["waiting"], ""),
    ])
    .await;
    app.deliver(&[complaint("KV1-2026-000042", "7K3QX9", "Мария Тодорова")])
        .await;
    let (status, html) = app
        .get("/desk/satisfaction?from=2026-11-01&to=2026-11-30")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<svg").count(),
        3,
        "distribution, trend, heatmap"
    );
    assert!(html.contains("<title>Разпределение на оценките</title>"));
    // 6 ratings, mean (1+2+4+5+5+3)/6 = 3.33, three of six are 4 or 5.
    assert_eq!(table(&html, "totals"), vec![vec!["6", "3.33", "50.0%"]]);
    let dist = table(&html, "distribution");
    let counts: Vec<&str> = dist.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(counts, ["1", "1", "1", "1", "2"]);
    // Reasons of low ratings: waiting 3 times, courtesy once.
    let reasons = table(&html, "reasons");
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0][1], "3");
    // The heatmap: Monday at 10 (08:44Z is 10:44 in Sofia) has five
    // ratings, Wednesday at 14 one; only those two hours are columns.
    let heat = table(&html, "heatmap");
    assert_eq!(heat[0], ["Пн", "5", "0"]);
    assert_eq!(heat[2], ["Ср", "0", "1"]);
    // Figures only: no visitor's comment, no filer's name.
    assert!(!html.contains("Иван Петров") && !html.contains("Бавно"));
    assert!(!html.contains("Мария Тодорова") && !html.contains("0888"));

    // One desk.
    let (_, html) = app
        .get("/desk/satisfaction?from=2026-11-01&to=2026-11-30&desk=cashier&lang=en")
        .await;
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(table(&html, "totals"), vec![vec!["2", "5.00", "100.0%"]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_of_the_last_hours_ratings_low_raise_the_banner() {
    let app = App::spawn("").await;
    let now = chrono::Utc::now();
    let at = |mins: i64| {
        (now - chrono::Duration::minutes(mins)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    app.deliver(&[
        rating(1, &at(5), "registry", &[], ""),
        rating(5, &at(10), "registry", &[], ""),
        rating(2, &at(20), "registry", &[], ""),
    ])
    .await;
    let (_, html) = app.get("/desk/satisfaction").await;
    assert!(
        !html.contains("id=\"low-alert\""),
        "three ratings are too few"
    );
    app.deliver(&[rating(4, &at(30), "registry", &[], "")])
        .await;
    let (_, html) = app.get("/desk/satisfaction").await;
    assert!(html.contains("id=\"low-alert\""));
    assert!(html.contains("2 от 4 оценки са ниски"));
}
