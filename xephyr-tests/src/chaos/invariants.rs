//! What must hold whatever the clients did: checked against X itself (QueryTree,
//! GetWindowAttributes, GetGeometry, properties, the input focus, selections, keyboard
//! grabs, X-Resource counts) and against `oxtile cmd`, after every acting connection's
//! requests were processed and oxtile answered `sync`. A prompt or popup left open by the
//! bar and prompt doors is closed first, with Escape, as a user would.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::properties::WmHints;
use x11rb::protocol::xproto::{
    AtomEnum, ConnectionExt as _, GrabMode, GrabStatus, MapState, Window,
};
use x11rb::rust_connection::RustConnection;
use x11rb::CURRENT_TIME;

use super::{World, CHAOS_GROUPS};
use crate::geometry::Rect;

/// X's `PointerRoot` focus value.
const POINTER_ROOT: Window = 1;

/// One top-level window as X sees it.
#[derive(Debug, Clone, Copy)]
struct TopLevel {
    viewable: bool,
    override_redirect: bool,
    rect: Rect,
}

/// Check every invariant; the number of managed windows, or what is wrong. The server
/// finishes some work on its own time (the windows of a connection closed abruptly are
/// destroyed when it notices), so a broken invariant is looked at again after another
/// `sync`, up to a deadline, before it counts.
pub fn check(world: &mut World<'_>) -> Result<usize, String> {
    world.settle()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match close_overlays(world).and_then(|()| check_once(world)) {
            Err(e) if std::time::Instant::now() < deadline && !e.starts_with("oxtile") => {}
            other => return other,
        }
    }
}

fn check_once(world: &mut World<'_>) -> Result<usize, String> {
    let session = world.session;
    if let Some(status) = session.wm_status() {
        return Err(format!("oxtile exited ({status})"));
    }
    session
        .cmd(&["sync"])
        .map_err(|e| format!("oxtile does not answer sync: {e}"))?;
    let windows = query(world, "windows")?;
    let groups = query(world, "groups")?;
    let screens = query(world, "screens")?;
    let focused = query(world, "focused")?;
    let bars = query(world, "widgets")?;
    let x = XView::read(world.observer.conn(), world.root, world)?;

    let mut problems = Vec::new();
    let managed = check_groups(&windows, &groups, &mut problems);
    check_client_list(&x, &managed, &mut problems);
    check_top_levels(world, &x, &managed, &mut problems);
    let globally_active =
        id_of(&focused["id"]).is_some_and(|w| globally_active(world.observer.conn(), world, w));
    check_focus(
        &x,
        &managed,
        &focused,
        &groups,
        globally_active,
        &mut problems,
    );
    check_geometry(&x, &windows, &groups, &screens, &mut problems);
    check_own_windows(world, &x, &bars, &mut problems);
    check_widgets(world, &bars, &mut problems);
    // Last: grabbing the keyboard to see whether it is free sends focus events.
    check_keyboard(world, &bars, &mut problems);
    if problems.is_empty() {
        Ok(managed.len())
    } else {
        Err(format!("invariants broken:\n  {}", problems.join("\n  ")))
    }
}

/// `oxtile cmd <what> --json`, parsed.
fn query(world: &World<'_>, what: &str) -> Result<Value, String> {
    let out = world
        .session
        .cmd(&[what, "--json"])
        .map_err(|e| format!("oxtile cmd {what}: {e}"))?;
    serde_json::from_str(&out).map_err(|e| format!("oxtile cmd {what} printed bad JSON: {e}"))
}

fn id_of(v: &Value) -> Option<Window> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

fn rect_of(v: &Value) -> Option<Rect> {
    Some(Rect::new(
        i32::try_from(v["x"].as_i64()?).ok()?,
        i32::try_from(v["y"].as_i64()?).ok()?,
        u32::try_from(v["width"].as_u64()?).ok()?,
        u32::try_from(v["height"].as_u64()?).ok()?,
    ))
}

/// Everything X says that the invariants need, read in one pipelined batch.
struct XView {
    root: Window,
    top: BTreeMap<Window, TopLevel>,
    client_list: Vec<Window>,
    stacking: Vec<Window>,
    active: Option<Window>,
    check_window: Option<Window>,
    focus: Window,
    focus_exists: bool,
    wm_state: BTreeMap<Window, Option<u32>>,
    id_mask: u32,
}

impl XView {
    fn read(conn: &RustConnection, root: Window, world: &World<'_>) -> Result<XView, String> {
        let err = |what: &str, e: ReplyError| format!("X: {what}: {e}");
        let a = &world.atoms;
        let tree = conn
            .query_tree(root)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map_err(|e| err("QueryTree", e))?;
        let cookies: Vec<_> = tree
            .children
            .iter()
            .map(|&w| {
                (
                    w,
                    conn.get_window_attributes(w),
                    conn.get_geometry(w),
                    conn.get_property(false, w, a.WM_STATE, a.WM_STATE, 0, 2),
                )
            })
            .collect();
        let mut top = BTreeMap::new();
        let mut wm_state = BTreeMap::new();
        for (w, attrs, geom, state) in cookies {
            // A window can vanish between QueryTree and its attributes: another client
            // destroyed it. Only the ones that still exist count.
            let attrs = attrs.map_err(ReplyError::from).and_then(|c| c.reply());
            let geom = geom.map_err(ReplyError::from).and_then(|c| c.reply());
            let state = state
                .map_err(ReplyError::from)
                .and_then(|c| c.reply())
                .ok()
                .and_then(|r| r.value32().and_then(|mut v| v.next()));
            if let (Ok(attrs), Ok(geom)) = (attrs, geom) {
                top.insert(
                    w,
                    TopLevel {
                        viewable: attrs.map_state == MapState::VIEWABLE,
                        override_redirect: attrs.override_redirect,
                        rect: Rect::new(
                            geom.x.into(),
                            geom.y.into(),
                            geom.width.into(),
                            geom.height.into(),
                        ),
                    },
                );
                wm_state.insert(w, state);
            }
        }
        let list = |prop: u32| -> Result<Vec<Window>, String> {
            let reply = conn
                .get_property(false, root, prop, AtomEnum::WINDOW, 0, 1 << 16)
                .map_err(ReplyError::from)
                .and_then(|c| c.reply())
                .map_err(|e| err("GetProperty", e))?;
            Ok(reply.value32().map(Iterator::collect).unwrap_or_default())
        };
        let client_list = list(a._NET_CLIENT_LIST)?;
        let stacking = list(a._NET_CLIENT_LIST_STACKING)?;
        let active = list(a._NET_ACTIVE_WINDOW)?.first().copied();
        let check_window = list(a._NET_SUPPORTING_WM_CHECK)?.first().copied();
        let focus = conn
            .get_input_focus()
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map_err(|e| err("GetInputFocus", e))?
            .focus;
        let focus_exists = focus > POINTER_ROOT
            && conn
                .get_window_attributes(focus)
                .map_err(ReplyError::from)
                .and_then(|c| c.reply())
                .is_ok();
        Ok(XView {
            root,
            top,
            client_list,
            stacking,
            active,
            check_window,
            focus,
            focus_exists,
            wm_state,
            id_mask: conn.setup().resource_id_mask,
        })
    }

    /// Whether `w` belongs to the client that owns the check window: oxtile itself.
    fn owned_by_oxtile(&self, w: Window) -> bool {
        self.check_window
            .is_some_and(|c| c & !self.id_mask == w & !self.id_mask)
    }
}

/// Whether `w` follows ICCCM's globally active focus model, read as oxtile reads it:
/// WM_HINTS says input false and WM_PROTOCOLS (of type ATOM) lists WM_TAKE_FOCUS.
fn globally_active(conn: &RustConnection, world: &World<'_>, w: Window) -> bool {
    let no_input = WmHints::get(conn, w)
        .ok()
        .and_then(|c| c.reply().ok().flatten())
        .is_some_and(|h| h.input == Some(false));
    let protocols = conn
        .get_property(false, w, world.atoms.WM_PROTOCOLS, AtomEnum::ATOM, 0, 32)
        .map_err(ReplyError::from)
        .and_then(|c| c.reply())
        .ok()
        .and_then(|r| r.value32().map(|v| v.collect::<Vec<u32>>()))
        .unwrap_or_default();
    no_input && protocols.contains(&world.atoms.WM_TAKE_FOCUS)
}

/// Every managed window is in exactly one group, the one it says; groups are intact.
fn check_groups(windows: &Value, groups: &Value, problems: &mut Vec<String>) -> BTreeSet<Window> {
    let mut managed = BTreeSet::new();
    let empty = Vec::new();
    let windows = windows.as_array().unwrap_or(&empty);
    let groups = groups.as_array().unwrap_or(&empty);
    let names: Vec<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
    // Pagers may change the number of desktops (`_NET_NUMBER_OF_DESKTOPS`, which the chaos
    // client sends with random data): the groups are intact when they are non-empty, named
    // uniquely and the configured ones come first, as far as they go.
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    let configured = CHAOS_GROUPS.len().min(names.len());
    if names.is_empty()
        || unique.len() != names.len()
        || names[..configured] != CHAOS_GROUPS[..configured]
    {
        problems.push(format!("groups are {names:?}, configured {CHAOS_GROUPS:?}"));
    }
    let focused_groups = groups.iter().filter(|g| g["focused"] == true).count();
    if focused_groups != 1 {
        problems.push(format!("{focused_groups} groups are focused"));
    }
    let mut member_of: BTreeMap<Window, Vec<&str>> = BTreeMap::new();
    for g in groups {
        let name = g["name"].as_str().unwrap_or("?");
        for w in g["windows"].as_array().unwrap_or(&empty) {
            if let Some(w) = id_of(w) {
                member_of.entry(w).or_default().push(name);
            }
        }
    }
    for w in windows {
        let Some(id) = id_of(&w["id"]) else {
            problems.push(format!("a window without an id: {w}"));
            continue;
        };
        if !managed.insert(id) {
            problems.push(format!("{id:#x} is listed twice by `windows`"));
        }
        let said = w["group"].as_str().unwrap_or("?");
        match member_of.get(&id).map(Vec::as_slice) {
            Some([one]) if *one == said => {}
            other => problems.push(format!(
                "{id:#x} says it is in group {said} but groups list it in {other:?}"
            )),
        }
    }
    for (w, in_groups) in &member_of {
        if !managed.contains(w) {
            problems.push(format!(
                "group(s) {in_groups:?} hold {w:#x}, which is not managed"
            ));
        }
    }
    managed
}

/// Whether a prompt holds the keyboard and whether a popup is open, as `widgets` says.
fn overlays(bars: &Value) -> (bool, bool) {
    let empty = Vec::new();
    let bars = bars.as_array().unwrap_or(&empty);
    let prompt = bars.iter().any(|b| {
        b["widgets"].as_array().is_some_and(|ws| {
            ws.iter()
                .any(|w| w["kind"] == "prompt" && w["state"]["active"] == true)
        })
    });
    let popup = bars.iter().any(|b| !b["popup"].is_null());
    (prompt, popup)
}

/// Whether another client may grab the keyboard now (if it could, it let it go at once).
fn keyboard_free(world: &World<'_>) -> Result<bool, String> {
    let conn = world.observer.conn();
    let status = conn
        .grab_keyboard(
            false,
            world.root,
            CURRENT_TIME,
            GrabMode::ASYNC,
            GrabMode::ASYNC,
        )
        .map_err(ReplyError::from)
        .and_then(|c| c.reply())
        .map_err(|e| format!("X: GrabKeyboard: {e}"))?
        .status;
    if status == GrabStatus::SUCCESS {
        conn.ungrab_keyboard(CURRENT_TIME)
            .map_err(|e| format!("X: UngrabKeyboard: {e}"))?;
        world.observer.round_trip();
    }
    Ok(status == GrabStatus::SUCCESS)
}

/// Close the prompt and any popup as a user would, Escape (then a click elsewhere, which
/// ends a popup), before the other checks. While the prompt is open, oxtile must hold the
/// keyboard: otherwise what is typed (a master secret) goes to another window.
fn close_overlays(world: &mut World<'_>) -> Result<(), String> {
    let mut last = Value::Null;
    for attempt in 0..4 {
        let bars = query(world, "widgets")?;
        let (prompt, popup) = overlays(&bars);
        if !prompt && !popup {
            return Ok(());
        }
        if attempt == 0 {
            world.report.overlays_closed += 1;
        }
        if prompt && keyboard_free(world)? {
            return Err(format!(
                "the prompt is open but oxtile does not hold the keyboard: {}",
                widget_of_kind(&bars, "prompt")
            ));
        }
        if attempt < 2 {
            world.observer.key(&[], "Escape");
        } else {
            world.observer.click(640, 400, 1);
        }
        world
            .session
            .cmd(&["sync"])
            .map_err(|e| format!("oxtile does not answer sync: {e}"))?;
        last = bars;
    }
    Err(format!(
        "the prompt or a popup stays open after two Escapes and two clicks: prompt {}, popups {:?}",
        widget_of_kind(&last, "prompt"),
        last.as_array()
            .map(|bars| bars.iter().map(|b| b["popup"].clone()).collect::<Vec<_>>())
    ))
}

/// The first widget of `kind` on any bar, as JSON (Null when there is none).
fn widget_of_kind(bars: &Value, kind: &str) -> Value {
    widgets(bars)
        .find(|w| w["kind"] == kind)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Every widget of every bar.
fn widgets(bars: &Value) -> impl Iterator<Item = &Value> {
    bars.as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["widgets"].as_array())
        .flatten()
}

/// With no prompt and no popup open, nobody holds the keyboard: every way a prompt or a
/// popup closes gave it back.
fn check_keyboard(world: &World<'_>, bars: &Value, problems: &mut Vec<String>) {
    let (prompt, popup) = overlays(bars);
    if prompt || popup {
        problems.push(format!(
            "a prompt or popup is open again at the check (prompt {prompt}, popup {popup})"
        ));
        return;
    }
    match keyboard_free(world) {
        Ok(true) => {}
        Ok(false) => problems.push(
            "no prompt or popup is open, yet the keyboard is grabbed (a grab was not released)"
                .into(),
        ),
        Err(e) => problems.push(e),
    }
}

/// What the poll, command and custom widgets show is what the bar door last set (once their
/// feeds ran again: a widget whose function failed comes back when it works again); the
/// backend nobody listens on says so.
fn check_widgets(world: &World<'_>, bars: &Value, problems: &mut Vec<String>) {
    let named = |name: &str| widgets(bars).find(|w| w["name"] == name);
    let short = |v: &Value| -> String {
        let s = v.to_string();
        match s.char_indices().nth(160) {
            Some((i, _)) => format!("{}… ({} bytes)", &s[..i], s.len()),
            None => s,
        }
    };
    for (name, kind, want) in [
        ("chaos_poll", "poll", &world.bar.poll),
        ("chaos_command", "command", &world.bar.command),
    ] {
        let Some(want) = want else { continue };
        match named(name) {
            Some(w) if w["kind"] == kind && w["text"].as_str() == Some(want.as_str()) => {}
            Some(w) => problems.push(format!(
                "widget {name} shows kind {} text {}, want kind {kind} text {}",
                w["kind"],
                short(&w["text"]),
                short(&Value::String(want.clone()))
            )),
            None => problems.push(format!("widget {name} is missing from the bars")),
        }
    }
    if world.bar.custom_ok() {
        match named("chaos_custom") {
            Some(w) if w["kind"] == "canvas" => {}
            other => problems.push(format!(
                "widget chaos_custom can draw again but is {}",
                short(other.unwrap_or(&Value::Null))
            )),
        }
    }
    let down = widgets(bars)
        .filter(|w| w["kind"] == "containers")
        .flat_map(|w| {
            w["state"]["backends"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .find(|b| b["name"] == "down");
    match down {
        Some(b) if b["status"] == "not running" || b["status"] == "connecting" => {}
        other => problems.push(format!(
            "the containers backend nobody listens on is {}",
            short(other.as_ref().unwrap_or(&Value::Null))
        )),
    }
}

/// oxtile's own windows are never lost: its check window stays mapped; every bar window it
/// reports is a mapped child of the root at the geometry it reports, and bar windows it no
/// longer reports (a reload built new ones) are gone; its tray window owns
/// `_NET_SYSTEM_TRAY_S0`, sits in the bar that hosts it (mapped when it shows icons), and
/// holds every icon it reports as shown; and it owns no more windows than these (the check
/// window, the bars, the tray, a popup, the clipboard's window).
fn check_own_windows(world: &mut World<'_>, x: &XView, bars: &Value, problems: &mut Vec<String>) {
    match x.check_window.and_then(|c| x.top.get(&c).map(|t| (c, t))) {
        Some((_, t)) if t.viewable => {}
        Some((c, _)) => problems.push(format!("oxtile's check window {c:#x} is not mapped")),
        None => problems.push(format!(
            "oxtile's check window {:#x?} is not a window on the root",
            x.check_window
        )),
    }
    let empty = Vec::new();
    let bars = bars.as_array().unwrap_or(&empty);
    if bars.len() != 2 {
        problems.push(format!(
            "oxtile reports {} bars, the config has 2",
            bars.len()
        ));
    }
    let mut current = BTreeSet::new();
    for b in bars {
        let Some(win) = id_of(&b["window"]) else {
            problems.push(format!("a bar without a window: {}", b["bar"]));
            continue;
        };
        current.insert(win);
        match x.top.get(&win) {
            None => problems.push(format!("bar window {win:#x} is not a window on the root")),
            Some(t) if !t.viewable => problems.push(format!("bar window {win:#x} is not mapped")),
            Some(t) if Some(t.rect) != rect_of(b) => problems.push(format!(
                "bar window {win:#x} is at {} in X, oxtile says {:?}",
                t.rect,
                rect_of(b)
            )),
            Some(_) => {}
        }
    }
    for old in world.bar.windows_seen.difference(&current) {
        if x.top.contains_key(old) {
            problems.push(format!(
                "bar window {old:#x} is no longer oxtile's bar but still exists"
            ));
        }
    }
    world.bar.windows_seen.extend(current);
    let hosts: Vec<&Value> = bars.iter().filter(|b| !b["tray"].is_null()).collect();
    match hosts.as_slice() {
        [bar] => check_tray(world, bar, problems),
        other => problems.push(format!(
            "{} bars host the tray, the config has one systray widget",
            other.len()
        )),
    }
    if let Some(check) = x.check_window {
        let limit = bars.len() as u32 + 4;
        match crate::resources::x_resources(world.observer.conn(), check) {
            Ok(r) => {
                let windows = r.get("WINDOW").copied().unwrap_or(0);
                if windows > limit {
                    problems.push(format!(
                        "oxtile owns {windows} windows, more than its {} bars, check window, \
                         tray, popup and clipboard window ({limit}): {r:?}",
                        bars.len()
                    ));
                }
            }
            Err(e) => problems.push(e),
        }
    }
}

/// The tray of the bar that hosts it (see [`check_own_windows`]).
fn check_tray(world: &World<'_>, bar: &Value, problems: &mut Vec<String>) {
    let conn = world.observer.conn();
    let tray = &bar["tray"];
    if tray["status"] != "running" {
        problems.push(format!(
            "the tray is {}, nothing else claims it: {tray}",
            tray["status"]
        ));
        return;
    }
    let Some(win) = id_of(&tray["window"]) else {
        problems.push(format!("the tray has no window: {tray}"));
        return;
    };
    let owner = conn
        .get_selection_owner(world.atoms._NET_SYSTEM_TRAY_S0)
        .map_err(ReplyError::from)
        .and_then(|c| c.reply())
        .map(|r| r.owner);
    if owner.as_ref().ok() != Some(&win) {
        problems.push(format!(
            "_NET_SYSTEM_TRAY_S0 is owned by {owner:x?}, not by oxtile's tray window {win:#x}"
        ));
    }
    let parent_of = |w: Window| {
        conn.query_tree(w)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|r| r.parent)
            .ok()
    };
    let viewable = |w: Window| {
        conn.get_window_attributes(w)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .is_ok_and(|a| a.map_state == MapState::VIEWABLE)
    };
    let bar_window = id_of(&bar["window"]);
    match parent_of(win) {
        None => problems.push(format!("oxtile's tray window {win:#x} is gone")),
        Some(p) if Some(p) != bar_window => problems.push(format!(
            "oxtile's tray window {win:#x} is in {p:#x}, not in its bar {bar_window:#x?}"
        )),
        Some(_) => {}
    }
    let count = tray["count"].as_u64().unwrap_or(0);
    if count > 0 && !viewable(win) {
        problems.push(format!(
            "the tray shows {count} icon(s) but its window {win:#x} is not viewable"
        ));
    }
    let empty = Vec::new();
    for icon in tray["icons"].as_array().unwrap_or(&empty) {
        let Some(i) = id_of(&icon["window"]) else {
            continue;
        };
        if icon["mapped"] != true {
            continue;
        }
        if parent_of(i) != Some(win) {
            problems.push(format!(
                "tray icon {i:#x} is shown by oxtile but is not in the tray window {win:#x} \
                 (parent {:#x?})",
                parent_of(i)
            ));
        } else if !viewable(i) {
            problems.push(format!(
                "tray icon {i:#x} is shown by oxtile but not viewable"
            ));
        }
    }
}

/// `_NET_CLIENT_LIST` is the managed set, each window once.
fn check_client_list(x: &XView, managed: &BTreeSet<Window>, problems: &mut Vec<String>) {
    let listed: BTreeSet<Window> = x.client_list.iter().copied().collect();
    if listed.len() != x.client_list.len() {
        problems.push(format!(
            "_NET_CLIENT_LIST has duplicates: {:#x?}",
            x.client_list
        ));
    }
    if &listed != managed {
        let extra: Vec<_> = listed.difference(managed).collect();
        let missing: Vec<_> = managed.difference(&listed).collect();
        problems.push(format!(
            "_NET_CLIENT_LIST differs from the managed set: extra {extra:#x?}, missing {missing:#x?}"
        ));
    }
    for w in &x.stacking {
        if !managed.contains(w) {
            problems.push(format!(
                "_NET_CLIENT_LIST_STACKING lists {w:#x}, which is not managed"
            ));
        }
    }
}

/// Every mapped top-level window (not override-redirect, not a dock, not oxtile's own) is
/// managed; every managed window is a live top-level, viewable exactly when oxtile shows
/// it, with the WM_STATE that says so.
fn check_top_levels(
    world: &World<'_>,
    x: &XView,
    managed: &BTreeSet<Window>,
    problems: &mut Vec<String>,
) {
    let unmanaged: HashSet<Window> = world
        .conns
        .iter()
        .flat_map(|c| c.unmanaged.iter().copied())
        .collect();
    for (&w, t) in &x.top {
        if t.viewable
            && !t.override_redirect
            && !x.owned_by_oxtile(w)
            && !unmanaged.contains(&w)
            && !managed.contains(&w)
        {
            problems.push(format!("{w:#x} is mapped at top level but not managed"));
        }
    }
    for &w in managed {
        if !x.top.contains_key(&w) {
            problems.push(format!(
                "{w:#x} is managed but is not a top-level window (destroyed or reparented)"
            ));
        }
    }
}

/// The input focus is on a live window, the root or oxtile's check window (never None, where
/// no key binding works); oxtile's focused window is managed and shown, and is what
/// `_NET_ACTIVE_WINDOW` says.
fn check_focus(
    x: &XView,
    managed: &BTreeSet<Window>,
    focused: &Value,
    groups: &Value,
    globally_active: bool,
    problems: &mut Vec<String>,
) {
    let f = x.focus;
    let fine = f == POINTER_ROOT || f == x.root || Some(f) == x.check_window || x.focus_exists;
    if !fine {
        problems.push(format!(
            "the input focus is {f:#x}, which is neither a live window nor the root"
        ));
    }
    let oxtile_focus = id_of(&focused["id"]);
    if let Some(w) = oxtile_focus {
        if !managed.contains(&w) {
            problems.push(format!(
                "oxtile says {w:#x} is focused but does not manage it"
            ));
        }
        if focused["visible"] != true {
            problems.push(format!("oxtile's focused window {w:#x} is not shown"));
        }
        let current = groups
            .as_array()
            .and_then(|gs| gs.iter().find(|g| g["focused"] == true))
            .and_then(|g| g["name"].as_str());
        if focused["group"].as_str() != current {
            problems.push(format!(
                "oxtile's focused window {w:#x} is in group {}, the focused group is {current:?}",
                focused["group"]
            ));
        }
    }
    // A globally active window (input hint false, WM_TAKE_FOCUS) is only offered the
    // focus; if it does not take it, the keyboard stays where it was.
    if managed.contains(&f) && oxtile_focus != Some(f) && !globally_active {
        problems.push(format!(
            "X gives the input focus to managed {f:#x}, oxtile's focused window is {oxtile_focus:#x?}"
        ));
    }
    let active = x.active.filter(|&a| a != 0);
    if active != oxtile_focus {
        problems.push(format!(
            "_NET_ACTIVE_WINDOW is {active:#x?}, oxtile's focused window is {oxtile_focus:#x?}"
        ));
    }
}

/// Shown windows are where oxtile says; tiled ones inside their screen's work area,
/// fullscreen ones cover their screen; hidden ones are unmapped and Iconic.
fn check_geometry(
    x: &XView,
    windows: &Value,
    groups: &Value,
    screens: &Value,
    problems: &mut Vec<String>,
) {
    let empty = Vec::new();
    let screens = screens.as_array().unwrap_or(&empty);
    let groups = groups.as_array().unwrap_or(&empty);
    for s in screens {
        let (Some(r), Some(wa)) = (rect_of(s), rect_of(&s["work_area"])) else {
            problems.push(format!("a screen without geometry: {s}"));
            continue;
        };
        if !r.contains(&wa) || wa.w == 0 || wa.h == 0 {
            problems.push(format!("work area {wa} is not inside its screen {r}"));
        }
    }
    for w in windows.as_array().unwrap_or(&empty) {
        let Some(id) = id_of(&w["id"]) else { continue };
        let Some(t) = x.top.get(&id) else { continue };
        let visible = w["visible"] == true;
        if visible != t.viewable {
            problems.push(format!(
                "{id:#x}: oxtile says visible={visible}, X says viewable={}",
                t.viewable
            ));
        }
        let want_state = if visible { 1 } else { 3 };
        if let Some(state) = x.wm_state.get(&id) {
            if *state != Some(want_state) {
                problems.push(format!(
                    "{id:#x}: WM_STATE is {state:?}, want {want_state} (visible={visible})"
                ));
            }
        }
        if !visible {
            continue;
        }
        let group = groups.iter().find(|g| g["name"] == w["group"]);
        let screen = group
            .and_then(|g| g["screen"].as_u64())
            .and_then(|i| screens.get(i as usize));
        let Some(screen) = screen else {
            problems.push(format!(
                "{id:#x} is shown but its group {} is on no screen",
                w["group"]
            ));
            continue;
        };
        let (Some(screen_rect), Some(work_area)) = (rect_of(screen), rect_of(&screen["work_area"]))
        else {
            continue;
        };
        let layout_floats = group.is_some_and(|g| g["layout"] == "floating");
        let oxtile_rect = rect_of(w);
        if w["fullscreen"] == true {
            if t.rect != screen_rect {
                problems.push(format!(
                    "fullscreen {id:#x} is at {} in X, its screen is {screen_rect}",
                    t.rect
                ));
            }
        } else if w["floating"] != true && !layout_floats {
            if !work_area.contains(&t.rect) {
                problems.push(format!(
                    "tiled {id:#x} is at {} in X, outside the work area {work_area}",
                    t.rect
                ));
            }
            if oxtile_rect != Some(t.rect) {
                problems.push(format!(
                    "tiled {id:#x}: oxtile says {oxtile_rect:?}, X says {}",
                    t.rect
                ));
            }
        }
    }
}
