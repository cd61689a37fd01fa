//! Bar windows on the X side: created override-redirect (oxtile places them itself and
//! reserves their space in the core), typed as docks for other tools, and filled by copying
//! the damaged rectangles of the bar's back buffer with PutImage.
//!
//! Why an image surface and PutImage rather than a cairo XCB surface: the XCB surface needs
//! libxcb's connection (x11rb's `XCBConnection`, FFI and `unsafe`), while the image path
//! keeps oxtile on the pure-Rust connection; a bar is small (1920×24×4 = 180 KiB for a full
//! redraw) and a clock tick copies only its own widget's rectangle. The numbers are in
//! docs/widgets.md ("Drawing path").

use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::xproto::{
    AtomEnum, ConfigureWindowAux, ConnectionExt as _, CreateGCAux, CreateWindowAux, EventMask,
    ImageFormat, ImageOrder, PropMode, StackMode, WindowClass,
};
use x11rb::wrapper::ConnectionExt as _;

use super::{XError, X11};
use crate::core::geometry::Rect;

impl X11 {
    /// An override-redirect window of ours at `rect` (a bar or a popup), taking exposures
    /// and clicks. No background: the server never clears it, so nothing flickers between
    /// an Expose and our copy.
    fn create_overlay(&mut self, rect: Rect) -> Result<u32, XError> {
        let c = &self.conn;
        let win = c.generate_id()?;
        c.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            win,
            self.root,
            rect.x as i16,
            rect.y as i16,
            rect.w.clamp(1, 32767) as u16,
            rect.h.clamp(1, 32767) as u16,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new()
                .override_redirect(1)
                .event_mask(EventMask::EXPOSURE | EventMask::BUTTON_PRESS),
        )?;
        Ok(win)
    }

    /// Create (and map) a bar window at `rect`.
    pub fn create_bar(&mut self, rect: Rect, opacity: f64) -> Result<u32, XError> {
        let win = self.create_overlay(rect)?;
        let c = &self.conn;
        let a = &self.atoms;
        c.change_property32(
            PropMode::REPLACE,
            win,
            a._NET_WM_WINDOW_TYPE,
            AtomEnum::ATOM,
            &[a._NET_WM_WINDOW_TYPE_DOCK],
        )?;
        c.change_property8(
            PropMode::REPLACE,
            win,
            a.WM_CLASS,
            AtomEnum::STRING,
            b"oxtile-bar\0oxtile\0",
        )?;
        c.change_property8(
            PropMode::REPLACE,
            win,
            a._NET_WM_NAME,
            a.UTF8_STRING,
            b"oxtile bar",
        )?;
        if opacity < 1.0 {
            let value = (opacity.clamp(0.0, 1.0) * f64::from(u32::MAX)) as u32;
            c.change_property32(
                PropMode::REPLACE,
                win,
                a._NET_WM_WINDOW_OPACITY,
                AtomEnum::CARDINAL,
                &[value],
            )?;
        }
        c.map_window(win)?;
        c.configure_window(win, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE))?;
        if self.gc == 0 {
            let gc = c.generate_id()?;
            c.create_gc(gc, self.root, &CreateGCAux::new().graphics_exposures(0))?;
            self.gc = gc;
        }
        self.bars.insert(win);
        Ok(win)
    }

    /// Move/resize a bar window.
    pub fn configure_bar(&self, win: u32, rect: Rect) -> Result<(), XError> {
        self.conn.configure_window(
            win,
            &ConfigureWindowAux::new()
                .x(rect.x)
                .y(rect.y)
                .width(rect.w.clamp(1, 32767))
                .height(rect.h.clamp(1, 32767)),
        )?;
        Ok(())
    }

    /// Destroy a bar window.
    pub fn destroy_bar(&mut self, win: u32) -> Result<(), XError> {
        // Tray icons live inside the bar: move them out first.
        self.tray_detach(win);
        self.bars.remove(&win);
        self.conn.destroy_window(win)?;
        Ok(())
    }

    /// Copy `damage` (bar-local rectangles) of a bar's back buffer to its window. `data` is
    /// cairo ARGB32 (native-endian 32-bit pixels), `stride` bytes per row.
    pub fn put_bar(
        &self,
        win: u32,
        data: &[u8],
        stride: usize,
        damage: &[Rect],
    ) -> Result<(), XError> {
        let setup = self.conn.setup();
        let depth = setup.roots[self.screen_num].root_depth;
        let bpp = setup
            .pixmap_formats
            .iter()
            .find(|f| f.depth == depth)
            .map_or(32, |f| f.bits_per_pixel);
        if bpp != 32 {
            tracing::warn!(
                "bar: the server wants {bpp} bits per pixel at depth {depth}; not drawing"
            );
            return Ok(());
        }
        let swap = (setup.image_byte_order == ImageOrder::MSB_FIRST) != cfg!(target_endian = "big");
        // Stay well under the server's request size.
        let max_bytes = (self.conn.maximum_request_bytes() / 2).max(4096);
        let rows_of_data = data.len() / stride.max(1);
        for r in damage {
            let (x, y) = (r.x.max(0) as usize, r.y.max(0) as usize);
            let w = (r.w as usize).min(stride / 4 - x.min(stride / 4));
            let h = (r.h as usize).min(rows_of_data.saturating_sub(y));
            if w == 0 || h == 0 {
                continue;
            }
            let rows_per_request = (max_bytes / (w * 4)).max(1);
            let mut row = 0;
            while row < h {
                let n = rows_per_request.min(h - row);
                let mut buf = Vec::with_capacity(w * 4 * n);
                for yy in y + row..y + row + n {
                    let start = yy * stride + x * 4;
                    let line = &data[start..start + w * 4];
                    if swap {
                        for px in line.chunks_exact(4) {
                            buf.extend([px[3], px[2], px[1], px[0]]);
                        }
                    } else {
                        buf.extend_from_slice(line);
                    }
                }
                self.conn.put_image(
                    ImageFormat::Z_PIXMAP,
                    win,
                    self.gc,
                    w as u16,
                    n as u16,
                    x as i16,
                    (y + row) as i16,
                    0,
                    depth,
                    &buf,
                )?;
                row += n;
            }
        }
        Ok(())
    }
}

impl X11 {
    /// Create a popup window (override-redirect, on top) and grab the pointer and keyboard
    /// so that a click elsewhere or Escape can close it.
    pub fn create_popup(&mut self, rect: Rect) -> Result<u32, XError> {
        let win = self.create_overlay(rect)?;
        let c = &self.conn;
        c.change_property8(
            PropMode::REPLACE,
            win,
            self.atoms.WM_CLASS,
            AtomEnum::STRING,
            b"oxtile-popup\0oxtile\0",
        )?;
        c.map_window(win)?;
        c.configure_window(win, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE))?;
        self.bars.insert(win);
        // Pointer: clicks in the popup reach it (owner events), others come to the root.
        let _ = c.grab_pointer(
            true,
            self.root,
            EventMask::BUTTON_PRESS,
            x11rb::protocol::xproto::GrabMode::ASYNC,
            x11rb::protocol::xproto::GrabMode::ASYNC,
            x11rb::NONE,
            x11rb::NONE,
            x11rb::CURRENT_TIME,
        )?;
        let _ = c.grab_keyboard(
            false,
            self.root,
            x11rb::CURRENT_TIME,
            x11rb::protocol::xproto::GrabMode::ASYNC,
            x11rb::protocol::xproto::GrabMode::ASYNC,
        )?;
        Ok(win)
    }

    /// Close a popup: destroy its window, release the grabs.
    pub fn destroy_popup(&mut self, win: u32) -> Result<(), XError> {
        self.bars.remove(&win);
        self.conn.destroy_window(win)?;
        self.conn.ungrab_pointer(x11rb::CURRENT_TIME)?;
        self.conn.ungrab_keyboard(x11rb::CURRENT_TIME)?;
        Ok(())
    }
}
