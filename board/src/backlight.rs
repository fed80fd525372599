//! The display's backlight through Linux sysfs
//! (`/sys/class/backlight/<name>/brightness` and `max_brightness`).
//!
//! Writing there is a call into the kernel, not a disk write, so it is
//! quick. The root directory is a parameter so tests can use a folder of
//! plain files. Invariant: the brightness written is always within
//! `0..=max_brightness`, and `Dim` is never dark (at least 1).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Backlight, BoardError};

/// Where Linux lists the backlights.
pub const SYSFS_ROOT: &str = "/sys/class/backlight";

/// The group that Raspberry Pi OS lets write the backlight, once the udev
/// rule in the README is installed.
const GROUP: &str = "video";

/// The brightness value for `level` on a device whose maximum is `max`.
pub fn brightness(level: Backlight, max: u32, dim_percent: u8) -> u32 {
    match level {
        Backlight::On => max,
        Backlight::Off => 0,
        Backlight::Dim => {
            let scaled = u64::from(max) * u64::from(dim_percent.min(100)) / 100;
            // The scaled value is at most `max`, so it fits.
            u32::try_from(scaled).unwrap_or(max).clamp(1.min(max), max)
        }
    }
}

/// One backlight device.
#[derive(Debug, Clone)]
pub struct SysfsBacklight {
    dir: PathBuf,
    max: u32,
    dim_percent: u8,
}

impl SysfsBacklight {
    /// The backlight `name` under `root`, or the first one there (by name)
    /// when `name` is empty. `Ok(None)` when `name` is empty and there is
    /// none (an HDMI screen, a desktop): the kiosk then runs without
    /// dimming. A named backlight that is missing is an error.
    pub fn find(root: &Path, name: &str, dim_percent: u8) -> Result<Option<Self>, BoardError> {
        let dir = if name.is_empty() {
            let mut names: Vec<PathBuf> = match fs::read_dir(root) {
                Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(io_error(root, e)),
            };
            names.sort();
            match names.into_iter().next() {
                Some(dir) => dir,
                None => return Ok(None),
            }
        } else {
            root.join(name)
        };
        let max_path = dir.join("max_brightness");
        let text = fs::read_to_string(&max_path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                BoardError::Settings {
                    key: "backlight",
                    message: format!(
                        "{} does not exist; leave the key empty or name a folder under {}",
                        dir.display(),
                        root.display()
                    ),
                }
            } else {
                io_error(&max_path, e)
            }
        })?;
        let max = text.trim().parse().map_err(|_| BoardError::Io {
            what: max_path.display().to_string(),
            source: io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{:?} is not a number", text.trim()),
            ),
        })?;
        Ok(Some(Self {
            dir,
            max,
            dim_percent,
        }))
    }

    /// The device's folder, for logs.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Sets the brightness for `level`.
    pub fn set(&self, level: Backlight) -> Result<(), BoardError> {
        let path = self.dir.join("brightness");
        let value = brightness(level, self.max, self.dim_percent);
        fs::write(&path, format!("{value}\n")).map_err(|e| io_error(&path, e))
    }
}

fn io_error(path: &Path, e: io::Error) -> BoardError {
    if e.kind() == io::ErrorKind::PermissionDenied {
        BoardError::PermissionDenied {
            what: path.display().to_string(),
            group: GROUP,
        }
    } else {
        BoardError::Io {
            what: path.display().to_string(),
            source: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(root: &Path, name: &str, max: u32) {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("max_brightness"), format!("{max}\n")).unwrap();
        fs::write(dir.join("brightness"), format!("{max}\n")).unwrap();
    }

    fn read(root: &Path, name: &str) -> String {
        fs::read_to_string(root.join(name).join("brightness")).unwrap()
    }

    #[test]
    fn levels_map_to_full_part_and_none() {
        assert_eq!(brightness(Backlight::On, 255, 20), 255);
        assert_eq!(brightness(Backlight::Dim, 255, 20), 51);
        assert_eq!(brightness(Backlight::Off, 255, 20), 0);
        // A coarse device still shows something when dimmed.
        assert_eq!(brightness(Backlight::Dim, 3, 10), 1);
        assert_eq!(brightness(Backlight::Dim, 0, 10), 0);
    }

    #[test]
    fn the_first_device_is_used_when_none_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        device(root, "11-0045", 31);
        device(root, "rpi_backlight", 255);
        let bl = SysfsBacklight::find(root, "", 50).unwrap().unwrap();
        bl.set(Backlight::Dim).unwrap();
        assert_eq!(read(root, "11-0045"), "15\n");
        bl.set(Backlight::Off).unwrap();
        assert_eq!(read(root, "11-0045"), "0\n");
        assert_eq!(read(root, "rpi_backlight"), "255\n");
    }

    #[test]
    fn no_backlight_at_all_is_not_an_error_unless_one_was_named() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(SysfsBacklight::find(root, "", 20).unwrap().is_none());
        assert!(
            SysfsBacklight::find(&root.join("missing"), "", 20)
                .unwrap()
                .is_none()
        );
        let err = SysfsBacklight::find(root, "10-0045", 20).unwrap_err();
        assert!(err.to_string().contains("backlight"), "{err}");
        assert!(err.to_string().contains("10-0045"), "{err}");
    }
}
