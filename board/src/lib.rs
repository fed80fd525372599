//! The hardware seam of the kiosk (filled in by the board module).
