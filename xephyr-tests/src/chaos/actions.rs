//! The chaos client's action kinds: everything it does through X (windows, properties,
//! ClientMessages, focus, grabs, dropped connections, XTEST input), plus the IPC, Lua and
//! config doors from [`super::ipc`], the bar and tray from [`super::bar`], the prompts and
//! the clipboard from [`super::prompt`], and the containers widget's daemon from
//! [`super::daemon`]. One [`ActionKind`] per kind in [`KINDS`]; a new door is a function
//! and one more table entry.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageData, ClientMessageEvent, ConfigureWindowAux, ConnectionExt as _,
    CreateWindowAux, EventMask, InputFocus, PropMode, StackMode, UnmapNotifyEvent, Window,
    WindowClass, CLIENT_MESSAGE_EVENT, UNMAP_NOTIFY_EVENT,
};
use x11rb::CURRENT_TIME;

use super::{bar, daemon, ipc, prompt, World};

/// What an action did (for the trace), or why the run must stop.
pub type Outcome = Result<String, String>;

/// One kind of thing the chaos client does: its name (in traces and for `--only`/`--skip`),
/// how often it is picked relative to the others, and the function that does it.
pub struct ActionKind {
    /// Name, e.g. `"create"`.
    pub name: &'static str,
    /// Relative weight; 0 disables the kind.
    pub weight: u32,
    /// Do it once.
    pub run: fn(&mut World<'_>) -> Outcome,
}

/// Every action kind. Weights are relative: creating and configuring windows is common,
/// grabbing the server or sending a megabyte is rare.
pub const KINDS: &[ActionKind] = &[
    // Windows and their life cycle.
    ActionKind {
        name: "create",
        weight: 14,
        run: create,
    },
    ActionKind {
        name: "map",
        weight: 8,
        run: map,
    },
    ActionKind {
        name: "unmap",
        weight: 5,
        run: unmap,
    },
    ActionKind {
        name: "destroy",
        weight: 6,
        run: destroy,
    },
    ActionKind {
        name: "map_destroy",
        weight: 3,
        run: map_destroy,
    },
    ActionKind {
        name: "configure_destroy",
        weight: 2,
        run: configure_destroy,
    },
    ActionKind {
        name: "map_unmap",
        weight: 2,
        run: map_unmap,
    },
    ActionKind {
        name: "configure",
        weight: 8,
        run: configure,
    },
    ActionKind {
        name: "reparent",
        weight: 3,
        run: reparent,
    },
    // Properties.
    ActionKind {
        name: "size_hints",
        weight: 4,
        run: size_hints,
    },
    ActionKind {
        name: "title",
        weight: 4,
        run: title,
    },
    ActionKind {
        name: "transient",
        weight: 3,
        run: transient,
    },
    ActionKind {
        name: "urgency",
        weight: 3,
        run: urgency,
    },
    ActionKind {
        name: "properties",
        weight: 4,
        run: properties,
    },
    // Messages, focus, the server, connections, input.
    ActionKind {
        name: "ewmh_message",
        weight: 10,
        run: ewmh_message,
    },
    ActionKind {
        name: "tray_opcode",
        weight: 2,
        run: tray_opcode,
    },
    ActionKind {
        name: "focus",
        weight: 5,
        run: focus,
    },
    ActionKind {
        name: "grab_server",
        weight: 2,
        run: grab_server,
    },
    ActionKind {
        name: "close_connection",
        weight: 2,
        run: close_connection,
    },
    ActionKind {
        name: "kill_client",
        weight: 1,
        run: kill_client,
    },
    ActionKind {
        name: "input",
        weight: 4,
        run: input,
    },
    // The other doors: IPC, Lua, config.
    ActionKind {
        name: "ipc_action",
        weight: 5,
        run: ipc::action,
    },
    ActionKind {
        name: "ipc_query",
        weight: 2,
        run: ipc::query,
    },
    ActionKind {
        name: "ipc_garbage",
        weight: 3,
        run: ipc::garbage,
    },
    ActionKind {
        name: "ipc_hangup",
        weight: 1,
        run: ipc::hangup,
    },
    ActionKind {
        name: "lua_eval",
        weight: 2,
        run: ipc::lua_eval,
    },
    ActionKind {
        name: "config_reload",
        weight: 1,
        run: ipc::config_reload,
    },
    // The bar, the prompt, the containers widget's daemon.
    ActionKind {
        name: "bar_click",
        weight: 3,
        run: bar::click,
    },
    ActionKind {
        name: "bar_popup",
        weight: 2,
        run: bar::popup,
    },
    ActionKind {
        name: "bar_text",
        weight: 3,
        run: bar::text,
    },
    ActionKind {
        name: "bar_reload",
        weight: 1,
        run: bar::reload,
    },
    ActionKind {
        name: "tray_dock",
        weight: 2,
        run: bar::tray_dock,
    },
    ActionKind {
        name: "prompt",
        weight: 3,
        run: prompt::prompt,
    },
    ActionKind {
        name: "clipboard",
        weight: 1,
        run: prompt::clipboard,
    },
    ActionKind {
        name: "containers",
        weight: 2,
        run: daemon::action,
    },
];

/// The X actions that are safe while one connection holds the server grab: they only send
/// requests on the grabbing connection and never wait for anyone.
const UNDER_GRAB: &[fn(&mut World<'_>) -> Outcome] = &[
    create,
    map,
    unmap,
    destroy,
    configure,
    title,
    size_hints,
    transient,
    ewmh_message,
    focus,
    reparent,
];

// ----- helpers ---------------------------------------------------------------------------

fn change8(w: &mut World<'_>, c: usize, win: Window, prop: u32, ty: u32, data: &[u8]) {
    let r = w.conns[c]
        .conn
        .change_property(PropMode::REPLACE, win, prop, ty, 8, data.len() as u32, data)
        .map(drop);
    w.sent(c, r);
}

fn change32(w: &mut World<'_>, c: usize, win: Window, prop: u32, ty: u32, data: &[u32]) {
    let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let r = w.conns[c]
        .conn
        .change_property(
            PropMode::REPLACE,
            win,
            prop,
            ty,
            32,
            data.len() as u32,
            &bytes,
        )
        .map(drop);
    w.sent(c, r);
}

/// Finish an action: flush its connection and describe it.
fn done(w: &mut World<'_>, c: usize, what: String) -> Outcome {
    w.flush(c);
    Ok(format!("conn {c}: {what}"))
}

/// Title bytes broken clients send, and what they are.
fn title_bytes(w: &mut World<'_>) -> (Vec<u8>, &'static str) {
    match w.rng.below(10) {
        0 => (Vec::new(), "empty"),
        1 => {
            let mut big = "a megabyte of title ".repeat(52_429).into_bytes();
            big.truncate(1 << 20);
            (big, "1 MB")
        }
        2 => {
            let n = w.rng.index(64) + 1;
            (w.rng.bytes(n), "random bytes")
        }
        3 => (
            b"\xff\xfe\xc3(\xe2\x28\xa1 half \xf0\x9f".to_vec(),
            "invalid UTF-8",
        ),
        4 => (
            b"tab\there\nnewline\x00nul\x1b[31mred".to_vec(),
            "control characters",
        ),
        5 => {
            // A multi-byte character cut by the 1 KiB limit oxtile applies.
            ("é".repeat(3000).into_bytes(), "long multi-byte")
        }
        _ => (
            format!("chaos {}", w.rng.below(1000)).into_bytes(),
            "ordinary",
        ),
    }
}

/// A value from the set that breaks size arithmetic.
fn absurd(w: &mut World<'_>) -> u32 {
    match w.rng.below(8) {
        0 => 0,
        1 => -1i32 as u32,
        2 => -100i32 as u32,
        3 => 65535,
        4 => i32::MIN as u32,
        5 => 1,
        _ => w.rng.range(1, 2000) as u32,
    }
}

/// Properties a new window starts with: title, class, protocols, hints, size hints, a
/// window type (a dock or desktop now and then), transient-for, state and desktop.
/// Returns whether the window is of a type oxtile shows without managing.
fn initial_properties(w: &mut World<'_>, c: usize, win: Window) -> (bool, String) {
    let a = w.atoms;
    let mut what = Vec::new();
    let (title, kind) = title_bytes(w);
    change8(w, c, win, a._NET_WM_NAME, a.UTF8_STRING, &title);
    what.push(format!("title {kind}"));
    if w.rng.chance(70) {
        change8(
            w,
            c,
            win,
            AtomEnum::WM_CLASS.into(),
            AtomEnum::STRING.into(),
            b"chaos\0Chaos\0",
        );
    }
    if w.rng.chance(60) {
        let mut protocols = Vec::new();
        if w.rng.chance(70) {
            protocols.push(a.WM_DELETE_WINDOW);
        }
        if w.rng.chance(30) {
            protocols.push(a.WM_TAKE_FOCUS);
        }
        change32(w, c, win, a.WM_PROTOCOLS, AtomEnum::ATOM.into(), &protocols);
    }
    if w.rng.chance(50) {
        // flags: InputHint, and urgency now and then; input true or false.
        let flags = 1 | if w.rng.chance(10) { 256 } else { 0 };
        let input = u32::from(w.rng.chance(80));
        change32(
            w,
            c,
            win,
            AtomEnum::WM_HINTS.into(),
            AtomEnum::WM_HINTS.into(),
            &[flags, input, 1, 0, 0, 0, 0, 0, 0],
        );
    }
    if w.rng.chance(30) {
        set_size_hints(w, c, win);
        what.push("size hints".into());
    }
    let types = [
        a._NET_WM_WINDOW_TYPE_NORMAL,
        a._NET_WM_WINDOW_TYPE_DIALOG,
        a._NET_WM_WINDOW_TYPE_UTILITY,
        a._NET_WM_WINDOW_TYPE_SPLASH,
        a._NET_WM_WINDOW_TYPE_TOOLBAR,
        a._NET_WM_WINDOW_TYPE_MENU,
        a._NET_WM_WINDOW_TYPE_NOTIFICATION,
        0xdead,
    ];
    let mut unmanaged = false;
    match w.rng.below(100) {
        0..=3 => {
            change32(
                w,
                c,
                win,
                a._NET_WM_WINDOW_TYPE,
                AtomEnum::ATOM.into(),
                &[a._NET_WM_WINDOW_TYPE_DOCK],
            );
            let strut: Vec<u32> = (0..12).map(|_| w.rng.range(0, 60) as u32).collect();
            let strut = if w.rng.chance(10) {
                vec![u32::MAX; 12]
            } else {
                strut
            };
            change32(
                w,
                c,
                win,
                a._NET_WM_STRUT_PARTIAL,
                AtomEnum::CARDINAL.into(),
                &strut,
            );
            unmanaged = true;
            what.push("dock".into());
        }
        4 => {
            change32(
                w,
                c,
                win,
                a._NET_WM_WINDOW_TYPE,
                AtomEnum::ATOM.into(),
                &[a._NET_WM_WINDOW_TYPE_DESKTOP],
            );
            unmanaged = true;
            what.push("desktop".into());
        }
        5..=44 => {
            let t = *w.rng.pick(&types).unwrap_or(&0);
            change32(
                w,
                c,
                win,
                a._NET_WM_WINDOW_TYPE,
                AtomEnum::ATOM.into(),
                &[t, 0],
            );
            // Menus and notifications are shown but never managed (EWMH; docs/ewmh.md).
            unmanaged = t == a._NET_WM_WINDOW_TYPE_MENU || t == a._NET_WM_WINDOW_TYPE_NOTIFICATION;
        }
        _ => {}
    }
    if w.rng.chance(8) {
        let parent = match w.rng.below(3) {
            0 => win,
            _ => w.pick_any_window(),
        };
        change32(
            w,
            c,
            win,
            AtomEnum::WM_TRANSIENT_FOR.into(),
            AtomEnum::WINDOW.into(),
            &[parent],
        );
        what.push(format!("transient for {parent:#x}"));
    }
    if w.rng.chance(8) {
        change32(
            w,
            c,
            win,
            a._NET_WM_STATE,
            AtomEnum::ATOM.into(),
            &[a._NET_WM_STATE_FULLSCREEN],
        );
        what.push("fullscreen".into());
    }
    if w.rng.chance(8) {
        let d = w.rng.wild_u32();
        change32(
            w,
            c,
            win,
            a._NET_WM_DESKTOP,
            AtomEnum::CARDINAL.into(),
            &[d],
        );
        what.push(format!("desktop {d}"));
    }
    (unmanaged, what.join(", "))
}

fn set_size_hints(w: &mut World<'_>, c: usize, win: Window) -> String {
    let mut v = [0u32; 18];
    v[0] = w.rng.next_u32() & 0x3ff;
    for slot in v.iter_mut().skip(1) {
        *slot = absurd(w);
    }
    let what = match w.rng.below(4) {
        0 => {
            // max < min: PMinSize | PMaxSize with min 500x500 and max 100x100.
            v[0] = 16 | 32;
            v[5..9].copy_from_slice(&[500, 500, 100, 100]);
            "max < min".to_string()
        }
        1 => {
            // Zero increments and a zero base.
            v[0] = 64 | 256;
            v[9..11].copy_from_slice(&[0, 0]);
            v[15..17].copy_from_slice(&[0, 0]);
            "zero increments".to_string()
        }
        _ => format!("flags {:#x}", v[0]),
    };
    let len = match w.rng.below(10) {
        0 => w.rng.index(18),
        _ => 18,
    };
    change32(
        w,
        c,
        win,
        AtomEnum::WM_NORMAL_HINTS.into(),
        AtomEnum::WM_SIZE_HINTS.into(),
        &v[..len],
    );
    format!("{what}, {len} fields")
}

// ----- windows ---------------------------------------------------------------------------

fn create(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    if w.conns[c].windows.len() >= w.options().max_windows {
        return destroy_on(w, c);
    }
    let Ok(win) = w.conns[c].conn.generate_id() else {
        w.conns[c].dead = true;
        return Ok(format!("conn {c}: no more ids"));
    };
    let parent = if w.rng.chance(8) {
        w.pick_window(c)
    } else {
        w.root
    };
    let parent = if parent > 1 && parent != 0xdead_beef && parent != u32::MAX {
        parent
    } else {
        w.root
    };
    let override_redirect = w.rng.chance(4);
    let mut mask = EventMask::NO_EVENT;
    for (m, p) in [
        (EventMask::STRUCTURE_NOTIFY, 80),
        (EventMask::PROPERTY_CHANGE, 50),
        (EventMask::FOCUS_CHANGE, 50),
        (EventMask::ENTER_WINDOW, 20),
    ] {
        if w.rng.chance(p) {
            mask |= m;
        }
    }
    let aux = CreateWindowAux::new()
        .background_pixel(w.rng.next_u32() & 0xff_ffff)
        .override_redirect(u32::from(override_redirect))
        .event_mask(mask);
    let (x, y, width, height) = (w.rng.coord(), w.rng.coord(), w.rng.size(), w.rng.size());
    let border = w.rng.range(0, 3) as u16;
    let r = w.conns[c]
        .conn
        .create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            win,
            parent,
            x,
            y,
            width,
            height,
            border,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &aux,
        )
        .map(drop);
    if !w.sent(c, r) {
        return Ok(format!("conn {c}: gone"));
    }
    let (unmanaged, props) = initial_properties(w, c, win);
    w.created(c, win, unmanaged);
    let mapped = w.rng.chance(75);
    if mapped {
        let r = w.conns[c].conn.map_window(win).map(drop);
        w.sent(c, r);
    }
    let parent = if parent == w.root {
        "root".to_string()
    } else {
        format!("{parent:#x}")
    };
    done(
        w,
        c,
        format!(
            "{win:#x} in {parent} at {x},{y} {width}x{height}{}{} ({props})",
            if override_redirect {
                " override-redirect"
            } else {
                ""
            },
            if mapped { " mapped" } else { "" },
        ),
    )
}

fn map(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let r = w.conns[c].conn.map_window(win).map(drop);
    w.sent(c, r);
    done(w, c, format!("map {win:#x}"))
}

/// Three ways to withdraw: a real unmap, XWithdrawWindow's unmap plus synthetic
/// UnmapNotify, and a lying client's synthetic UnmapNotify alone.
fn unmap(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let style = w.rng.below(3);
    if style < 2 {
        let r = w.conns[c].conn.unmap_window(win).map(drop);
        w.sent(c, r);
    }
    if style > 0 {
        let ev = UnmapNotifyEvent {
            response_type: UNMAP_NOTIFY_EVENT,
            sequence: 0,
            event: w.root,
            window: win,
            from_configure: false,
        };
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        let r = w.conns[c]
            .conn
            .send_event(false, w.root, mask, ev)
            .map(drop);
        w.sent(c, r);
    }
    let how = ["unmap", "withdraw", "synthetic UnmapNotify only"][style as usize];
    done(w, c, format!("{how} {win:#x}"))
}

fn destroy(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    destroy_on(w, c)
}

fn destroy_on(w: &mut World<'_>, c: usize) -> Outcome {
    let win = w.pick_window(c);
    let subwindows = w.rng.chance(10);
    let r = if subwindows {
        w.conns[c].conn.destroy_subwindows(win)
    } else {
        w.conns[c].conn.destroy_window(win)
    }
    .map(drop);
    if w.sent(c, r) && !subwindows {
        w.destroyed(c, win);
    }
    let what = if subwindows {
        "destroy subwindows of"
    } else {
        "destroy"
    };
    done(w, c, format!("{what} {win:#x}"))
}

/// Map and destroy in one flush: oxtile handles a MapRequest for a window that is gone.
fn map_destroy(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let r = w.conns[c].conn.map_window(win).map(drop);
    w.sent(c, r);
    let r = w.conns[c].conn.destroy_window(win).map(drop);
    if w.sent(c, r) {
        w.destroyed(c, win);
    }
    done(w, c, format!("map and destroy {win:#x}"))
}

/// Ask for a new geometry and vanish: oxtile answers a ConfigureRequest for a dead window.
fn configure_destroy(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let aux = ConfigureWindowAux::new()
        .x(i32::from(w.rng.coord()))
        .width(u32::from(w.rng.size()));
    let r = w.conns[c].conn.configure_window(win, &aux).map(drop);
    w.sent(c, r);
    let r = w.conns[c].conn.destroy_window(win).map(drop);
    if w.sent(c, r) {
        w.destroyed(c, win);
    }
    done(w, c, format!("configure and destroy {win:#x}"))
}

fn map_unmap(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let conn = &w.conns[c].conn;
    let r = conn
        .map_window(win)
        .and_then(|_| conn.unmap_window(win))
        .and_then(|_| conn.map_window(win))
        .map(drop);
    w.sent(c, r);
    done(w, c, format!("map, unmap, map {win:#x}"))
}

fn configure(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let mut aux = ConfigureWindowAux::new();
    let mut what = Vec::new();
    if w.rng.chance(50) {
        aux = aux.x(i32::from(w.rng.coord())).y(i32::from(w.rng.coord()));
        what.push(format!("to {:?},{:?}", aux.x, aux.y));
    }
    if w.rng.chance(60) {
        aux = aux
            .width(u32::from(w.rng.size()))
            .height(u32::from(w.rng.size()));
        what.push(format!("size {:?}x{:?}", aux.width, aux.height));
    }
    if w.rng.chance(10) {
        aux = aux.border_width(w.rng.range(0, 100) as u32);
        what.push("border".into());
    }
    if w.rng.chance(30) {
        aux = aux.stack_mode(StackMode::from(w.rng.below(5) as u8));
        if w.rng.chance(50) {
            aux = aux.sibling(w.pick_any_window());
        }
        what.push(format!("stack {:?}", aux.stack_mode));
    }
    let r = w.conns[c].conn.configure_window(win, &aux).map(drop);
    w.sent(c, r);
    done(w, c, format!("configure {win:#x} {}", what.join(" ")))
}

/// Move a window under another (it stops being top-level) or back under the root.
fn reparent(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let parent = if w.rng.chance(40) {
        w.root
    } else {
        w.pick_any_window()
    };
    let (x, y) = (w.rng.coord(), w.rng.coord());
    let r = w.conns[c].conn.reparent_window(win, parent, x, y).map(drop);
    w.sent(c, r);
    done(w, c, format!("reparent {win:#x} into {parent:#x}"))
}

// ----- properties ------------------------------------------------------------------------

fn size_hints(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let what = set_size_hints(w, c, win);
    done(w, c, format!("size hints of {win:#x}: {what}"))
}

fn title(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let (bytes, kind) = title_bytes(w);
    let a = w.atoms;
    let (prop, ty) = match w.rng.below(4) {
        0 => (AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()),
        1 => (AtomEnum::WM_NAME.into(), a.UTF8_STRING),
        2 => (a._NET_WM_NAME, AtomEnum::CARDINAL.into()),
        _ => (a._NET_WM_NAME, a.UTF8_STRING),
    };
    change8(w, c, win, prop, ty, &bytes);
    done(w, c, format!("title of {win:#x}: {kind}"))
}

/// WM_TRANSIENT_FOR to itself, in a cycle of two or three, or to nothing that exists.
fn transient(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let ty = AtomEnum::WINDOW.into();
    let prop = AtomEnum::WM_TRANSIENT_FOR.into();
    let win = w.pick_window(c);
    let what = match w.rng.below(5) {
        0 => {
            change32(w, c, win, prop, ty, &[win]);
            format!("{win:#x} transient for itself")
        }
        1 | 2 => {
            let n = w.rng.range(2, 3) as usize;
            let ring: Vec<Window> = (0..n).map(|_| w.pick_window(c)).collect();
            for (i, &a) in ring.iter().enumerate() {
                change32(w, c, a, prop, ty, &[ring[(i + 1) % n]]);
            }
            format!("cycle {ring:#x?}")
        }
        3 => {
            let target = *w.rng.pick(&[0, 1, w.root, 0xdead_beef]).unwrap_or(&0);
            change32(w, c, win, prop, ty, &[target, target]);
            format!("{win:#x} transient for {target:#x}")
        }
        _ => {
            let r = w.conns[c].conn.delete_property(win, prop).map(drop);
            w.sent(c, r);
            format!("{win:#x} no longer transient")
        }
    };
    done(w, c, what)
}

/// The urgency hint set and cleared many times in a row.
fn urgency(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let n = w.rng.range(2, 30);
    let mut urgent = false;
    for _ in 0..n {
        urgent = !urgent;
        let flags = 1 | if urgent { 256 } else { 0 };
        change32(
            w,
            c,
            win,
            AtomEnum::WM_HINTS.into(),
            AtomEnum::WM_HINTS.into(),
            &[flags, 1, 1, 0, 0, 0, 0, 0, 0],
        );
    }
    done(w, c, format!("urgency of {win:#x} flipped {n} times"))
}

/// Garbage in the properties oxtile reads (never the window type: whether a window is a
/// dock is decided at creation, so that the invariants know which windows oxtile manages).
fn properties(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let win = w.pick_window(c);
    let a = w.atoms;
    let props = [
        AtomEnum::WM_HINTS.into(),
        AtomEnum::WM_CLASS.into(),
        AtomEnum::WM_NORMAL_HINTS.into(),
        a.WM_PROTOCOLS,
        a._NET_WM_STATE,
        a._NET_WM_DESKTOP,
        a._NET_WM_STRUT,
        a._NET_WM_STRUT_PARTIAL,
        a.WM_WINDOW_ROLE,
        a._NET_WM_PID,
    ];
    let prop = *w.rng.pick(&props).unwrap_or(&a.WM_PROTOCOLS);
    let what = match w.rng.below(4) {
        0 => {
            let r = w.conns[c].conn.delete_property(win, prop).map(drop);
            w.sent(c, r);
            "deleted".to_string()
        }
        1 => {
            let n = w.rng.index(40);
            let bytes = w.rng.bytes(n);
            let ty = *w
                .rng
                .pick(&[
                    AtomEnum::STRING.into(),
                    AtomEnum::ATOM.into(),
                    a.UTF8_STRING,
                ])
                .unwrap_or(&0);
            change8(w, c, win, prop, ty, &bytes);
            format!("{n} random bytes")
        }
        _ => {
            let n = w.rng.index(20);
            let values: Vec<u32> = (0..n).map(|_| w.rng.wild_u32()).collect();
            let ty = *w
                .rng
                .pick(&[
                    AtomEnum::CARDINAL.into(),
                    AtomEnum::ATOM.into(),
                    AtomEnum::WINDOW.into(),
                    prop,
                ])
                .unwrap_or(&0);
            change32(w, c, win, prop, ty, &values);
            format!("{values:x?}")
        }
    };
    done(w, c, format!("property {prop} of {win:#x}: {what}"))
}

// ----- messages, focus, the server, connections, input ------------------------------------

/// Send a ClientMessage of `format` (8, 16, 32 or garbage) about `window` to `dest`.
fn send_message(
    w: &mut World<'_>,
    c: usize,
    dest: Window,
    window: Window,
    type_: u32,
    data: [u32; 5],
) -> String {
    let format = match w.rng.below(10) {
        0 => 8,
        1 => 16,
        2 => *w.rng.pick(&[0u8, 7, 64, 255]).unwrap_or(&0),
        _ => 32,
    };
    let data = if format == 8 {
        let bytes = w.rng.bytes(20);
        let mut b = [0u8; 20];
        b.copy_from_slice(&bytes);
        ClientMessageData::from(b)
    } else {
        ClientMessageData::from(data)
    };
    let ev = ClientMessageEvent {
        response_type: CLIENT_MESSAGE_EVENT,
        format,
        sequence: 0,
        window,
        type_,
        data,
    };
    let (propagate, mask) = if dest == w.root || w.rng.chance(50) {
        (
            false,
            EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY,
        )
    } else {
        (
            w.rng.chance(50),
            EventMask::from(w.rng.next_u32() & 0x01ff_ffff),
        )
    };
    let r = w.conns[c]
        .conn
        .send_event(propagate, dest, mask, ev)
        .map(drop);
    w.sent(c, r);
    format!("format {format}")
}

/// Every EWMH request oxtile handles, and a few it does not, with random data.
fn ewmh_message(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let a = w.atoms;
    let handled = [
        a._NET_ACTIVE_WINDOW,
        a._NET_CLOSE_WINDOW,
        a._NET_CURRENT_DESKTOP,
        a._NET_WM_DESKTOP,
        a._NET_WM_STATE,
    ];
    let other = [
        a._NET_MOVERESIZE_WINDOW,
        a._NET_WM_MOVERESIZE,
        a._NET_RESTACK_WINDOW,
        a._NET_REQUEST_FRAME_EXTENTS,
        a.WM_CHANGE_STATE,
        a._NET_SHOWING_DESKTOP,
        a._NET_NUMBER_OF_DESKTOPS,
        a._NET_DESKTOP_GEOMETRY,
        a.WM_PROTOCOLS,
        w.rng.below(0x200) as u32,
    ];
    let type_ = if w.rng.chance(75) {
        *w.rng.pick(&handled).unwrap_or(&0)
    } else {
        *w.rng.pick(&other).unwrap_or(&0)
    };
    let window = match w.rng.below(10) {
        0 => w.root,
        1 => 0,
        _ => w.pick_any_window(),
    };
    let state_atoms = [
        a._NET_WM_STATE_FULLSCREEN,
        a._NET_WM_STATE_DEMANDS_ATTENTION,
        a._NET_WM_STATE_HIDDEN,
        a._NET_WM_STATE_ABOVE,
        0,
        w.rng.next_u32(),
    ];
    let data = if type_ == a._NET_WM_STATE {
        let action = if w.rng.chance(80) {
            w.rng.below(3) as u32
        } else {
            w.rng.wild_u32()
        };
        let p1 = *w.rng.pick(&state_atoms).unwrap_or(&0);
        let p2 = *w.rng.pick(&state_atoms).unwrap_or(&0);
        [action, p1, p2, w.rng.below(4) as u32, 0]
    } else if type_ == a._NET_CURRENT_DESKTOP || type_ == a._NET_WM_DESKTOP {
        let d = if w.rng.chance(70) {
            w.rng.below(4) as u32
        } else {
            w.rng.wild_u32()
        };
        [d, w.rng.wild_u32(), 0, 0, 0]
    } else {
        [
            w.rng.wild_u32(),
            w.rng.wild_u32(),
            w.rng.wild_u32(),
            w.rng.wild_u32(),
            w.rng.wild_u32(),
        ]
    };
    let dest = if w.rng.chance(85) {
        w.root
    } else {
        w.pick_any_window()
    };
    let format = send_message(w, c, dest, window, type_, data);
    done(
        w,
        c,
        format!("ClientMessage {type_} about {window:#x} to {dest:#x}, {format}, {data:x?}"),
    )
}

/// `_NET_SYSTEM_TRAY_OPCODE` with garbage to the root, to any window and to the tray
/// selection's owner if there is one; and stray XEMBED messages.
fn tray_opcode(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let a = w.atoms;
    let owner = w.tray_owner(c);
    let dest = match w.rng.below(3) {
        0 if owner != 0 => owner,
        1 => w.pick_any_window(),
        _ => w.root,
    };
    let opcode = if w.rng.chance(70) {
        w.rng.below(3) as u32
    } else {
        w.rng.wild_u32()
    };
    let (type_, data) = match w.rng.below(5) {
        0 => (a._NET_SYSTEM_TRAY_MESSAGE_DATA, [w.rng.next_u32(); 5]),
        1 => (
            a._XEMBED,
            [
                CURRENT_TIME,
                w.rng.wild_u32(),
                w.rng.wild_u32(),
                w.pick_any_window(),
                w.rng.wild_u32(),
            ],
        ),
        _ => (
            a._NET_SYSTEM_TRAY_OPCODE,
            [
                CURRENT_TIME,
                opcode,
                w.pick_any_window(),
                w.rng.wild_u32(),
                w.rng.wild_u32(),
            ],
        ),
    };
    let window = if w.rng.chance(50) {
        dest
    } else {
        w.pick_any_window()
    };
    let format = send_message(w, c, dest, window, type_, data);
    done(
        w,
        c,
        format!("tray message {type_} opcode {opcode} to {dest:#x} (owner {owner:#x}), {format}"),
    )
}

/// SetInputFocus to anything: own windows (mapped or not), the root, None, PointerRoot.
fn focus(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let target = match w.rng.below(10) {
        0 => 0,
        1 => 1,
        2 => w.root,
        3 => w.pick_any_window(),
        _ => w.pick_window(c),
    };
    let revert = *w
        .rng
        .pick(&[
            InputFocus::NONE,
            InputFocus::POINTER_ROOT,
            InputFocus::PARENT,
        ])
        .unwrap_or(&InputFocus::NONE);
    let time = if w.rng.chance(80) {
        CURRENT_TIME
    } else {
        w.rng.next_u32()
    };
    let r = w.conns[c]
        .conn
        .set_input_focus(revert, target, time)
        .map(drop);
    w.sent(c, r);
    done(
        w,
        c,
        format!("focus {target:#x} (revert to {revert:?}, time {time})"),
    )
}

/// Grab the server, do a few things only the grabbing connection can, and let go (or
/// close the connection while still holding the grab).
fn grab_server(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let r = w.conns[c].conn.grab_server().map(drop);
    if !w.sent(c, r) {
        return Ok(format!("conn {c}: gone"));
    }
    w.forced_conn = Some(c);
    let n = w.rng.range(1, 6);
    let mut what = Vec::new();
    for _ in 0..n {
        let Some(&act) = w.rng.pick(UNDER_GRAB) else {
            break;
        };
        what.push(act(w)?);
        if w.conns[c].dead {
            break;
        }
    }
    w.forced_conn = None;
    if w.rng.chance(15) {
        w.flush(c);
        w.close_conn(c)?;
        return Ok(format!(
            "conn {c}: grabbed, [{}], closed while grabbed",
            what.join("; ")
        ));
    }
    let r = w.conns[c].conn.ungrab_server().map(drop);
    w.sent(c, r);
    done(w, c, format!("grabbed, [{}], ungrabbed", what.join("; ")))
}

/// Close a connection without a word, sometimes right after a burst of requests.
fn close_connection(w: &mut World<'_>) -> Outcome {
    let c = w.pick_conn();
    let windows = w.conns[c].windows.clone();
    let burst = w.rng.chance(50);
    if burst {
        for win in windows {
            let conn = &w.conns[c].conn;
            let r = conn
                .map_window(win)
                .and_then(|_| conn.configure_window(win, &ConfigureWindowAux::new().width(77)))
                .map(drop);
            w.sent(c, r);
        }
        w.flush(c);
    }
    w.close_conn(c)?;
    Ok(format!(
        "conn {c}: closed{}",
        if burst { " after a burst" } else { "" }
    ))
}

/// Another client kills this one's connection (XKillClient), as xkill does.
fn kill_client(w: &mut World<'_>) -> Outcome {
    let victim = w.rng.index(w.conns.len());
    let Some(&win) = w.rng.pick(&w.conns[victim].windows) else {
        return Ok("no window to kill".into());
    };
    let killer = w.pick_conn();
    let r = w.conns[killer].conn.kill_client(win).map(drop);
    w.sent(killer, r);
    w.flush(killer);
    Ok(format!(
        "conn {killer} kills the client of {win:#x} (conn {victim})"
    ))
}

/// What a user does through XTEST: move the pointer (focus follows it in the chaos
/// config), click, and type bound keys, including one whose Lua callback fails and one
/// whose callback never ends.
fn input(w: &mut World<'_>) -> Outcome {
    let (x, y) = (w.rng.range(-10, 1290) as i32, w.rng.range(-10, 810) as i32);
    let keys: [(&[&str], &str); 11] = [
        (&["mod4"], "j"),
        (&["mod4"], "k"),
        (&["mod4"], "Tab"),
        (&["mod4"], "f"),
        (&["mod4"], "m"),
        (&["mod4"], "2"),
        (&["mod4", "shift"], "3"),
        (&["mod4"], "e"),
        (&["mod4"], "l"),
        (&[], "a"),
        (&["mod4"], "Escape"),
    ];
    Ok(match w.rng.below(4) {
        0 => {
            w.observer.move_pointer(x, y);
            format!("pointer to {x},{y}")
        }
        1 => {
            let button = w.rng.range(1, 5) as u8;
            w.observer.click(x, y, button);
            format!("click {button} at {x},{y}")
        }
        2 => {
            w.observer.click_with(&["mod4"], x, y, 1);
            format!("mod4+click at {x},{y}")
        }
        _ => {
            let (mods, key) = *w.rng.pick(&keys).unwrap_or(&keys[0]);
            w.observer.key(mods, key);
            format!("key {mods:?}+{key}")
        }
    })
}
