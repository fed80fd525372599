//! Debian's Chromium, headless, driven through chromedriver with fantoccini.
//!
//! chromedriver is started on a free loopback port for each browser and
//! killed when the [`Browser`] is dropped. The tests need the `chromium` and
//! `chromium-driver` packages: without them they fail and say what to
//! install; they never pass by skipping.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const INSTALL: &str =
    "the browser tests need Debian's Chromium: apt-get install -y chromium chromium-driver";

/// A headless Chromium window of a given size, with downloads going to a
/// directory of its own.
pub struct Browser {
    pub client: Client,
    driver: Child,
    downloads: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a Chromium window of `width` x `height`.
    pub async fn start(width: u32, height: u32) -> Browser {
        for path in [CHROMEDRIVER, CHROMIUM] {
            assert!(Path::new(path).exists(), "{path} is missing: {INSTALL}");
        }
        let downloads = tempfile::tempdir().unwrap();
        let (driver, port) = start_driver();
        let mut args = vec![
            "--headless=new".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--no-first-run".to_owned(),
            "--lang=bg".to_owned(),
            format!("--window-size={width},{height}"),
        ];
        // Chromium refuses to run as root with its sandbox on.
        if is_root() {
            args.push("--no-sandbox".to_owned());
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.path(),
                    "download.prompt_for_download": false,
                    "plugins.always_open_pdf_externally": true,
                },
            },
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("chromedriver would not start Chromium ({e}): {INSTALL}"));
        client.set_window_size(width, height).await.unwrap();
        Browser {
            client,
            driver,
            downloads,
        }
    }

    /// The text of the page's body, as a reader sees it.
    pub async fn body_text(&self) -> String {
        let body = self.client.find(Locator::Css("body")).await.unwrap();
        body.text().await.unwrap()
    }

    /// Fills the field named `name` in the page's first matching form.
    pub async fn fill(&self, name: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("no field named {name}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// Clicks the element matching `css` and waits (at most 10 s) for the
    /// next page to load: the old page's elements go stale.
    pub async fn click(&self, css: &str) {
        let el = self.click_only(css).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while el.tag_name().await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "clicking {css} loaded no new page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.loaded().await;
    }

    /// Clicks the element matching `css` (a download: the page stays).
    pub async fn click_only(&self, css: &str) -> fantoccini::elements::Element {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"));
        el.click().await.unwrap();
        el
    }

    /// Waits until the page has loaded.
    pub async fn loaded(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let state = self
                .client
                .execute("return document.readyState", vec![])
                .await;
            if matches!(state, Ok(ref v) if v == "complete") {
                return;
            }
            assert!(Instant::now() < deadline, "the page did not finish loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the window as `dir/name.png`.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Waits (at most 20 s) for a finished download whose name ends with
    /// `suffix`, and returns its bytes.
    pub async fn downloaded(&self, suffix: &str) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let done = std::fs::read_dir(self.downloads.path())
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(suffix));
            if let Some(path) = done {
                return std::fs::read(path).unwrap();
            }
            assert!(Instant::now() < deadline, "no {suffix} was downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the browser session; dropping the browser stops chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Starts chromedriver on a free loopback port and waits until it listens.
/// A port taken between asking and binding makes it exit: then another is
/// tried.
fn start_driver() -> (Child, u16) {
    for _ in 0..5 {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER} would not start ({e}): {INSTALL}"));
        let deadline = Instant::now() + Duration::from_secs(15);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while Instant::now() < deadline {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return (child, port);
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("chromedriver did not start listening on loopback: {INSTALL}");
}
