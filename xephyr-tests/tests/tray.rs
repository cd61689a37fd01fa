//! The system tray end to end: test icons (xephyr_tests::tray, their own X connections)
//! and a real applet (`yad --notification`, a GTK status icon) dock into the bar, in the
//! configured order, at the bar's icon size; they hide and show through XEMBED_MAPPED,
//! leave when they die, survive reload and restart, and garbage does not hurt. Another
//! tray owning the selection is refused politely, or replaced with `take_over = true`.

use serde_json::Value;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, VisualClass};
use xephyr_tests::tray::{BEGIN_MESSAGE, CANCEL_MESSAGE, REQUEST_DOCK};
use xephyr_tests::wait::{Backoff, Deadline};
use xephyr_tests::{ForeignTray, ManagerWatch, Rect, Session, TrayIcon, XServer};

const BAR_BG: u32 = 0x203040;
/// The default icon size on a 24-pixel bar (height − 4) and spacing.
const ICON: u32 = 20;
const SPACING: u32 = 2;

/// A top bar, 24 pixels, with a systray widget (its options inside the braces) at the end.
fn config(position: &str, systray_opts: &str) -> String {
    format!(
        r##"oxtile.groups{{ "1", "2" }}
oxtile.settings{{ border_width = 0, margin = 0, focus_follows_mouse = false }}
oxtile.bar{{ position = "{position}", size = 24, background = "#203040", foreground = "#ffffff",
  widgets = {{ oxtile.widget.textbox{{ text = "tray test" }}, oxtile.widget.spacer{{}},
              oxtile.widget.systray{{ {systray_opts} }}, oxtile.widget.textbox{{ text = "end" }} }} }}
"##
    )
}

/// The hosting bar's `tray` section of `oxtile cmd widgets --json`.
fn tray(s: &Session) -> Value {
    s.cmd_json(&["widgets"])
        .as_array()
        .and_then(|bars| bars.iter().find(|b| !b["tray"].is_null()).cloned())
        .map(|b| b["tray"].clone())
        .unwrap_or_else(|| s.fail("no bar has a tray section"))
}

fn tray_window(s: &Session) -> u32 {
    tray(s)["window"].as_u64().expect("tray window") as u32
}

/// The systray widget's length on its bar.
fn widget_length(s: &Session) -> u64 {
    let bars = s.cmd_json(&["widgets"]);
    bars.as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["widgets"].as_array().cloned().unwrap_or_default())
        .find(|w| w["kind"] == "systray")
        .and_then(|w| w["length"].as_u64())
        .expect("a systray widget")
}

/// Windows of the icons shown, in tray order.
fn shown(s: &Session) -> Vec<u32> {
    tray(s)["icons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["mapped"] == true)
        .map(|i| i["window"].as_u64().unwrap_or(0) as u32)
        .collect()
}

/// Every docked icon (shown or not).
fn docked(s: &Session) -> Vec<u32> {
    tray(s)["icons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["window"].as_u64().unwrap_or(0) as u32)
        .collect()
}

fn icon_rect(v: &Value) -> Rect {
    let n = |k: &str| v[k].as_i64().unwrap_or(-1);
    Rect::new(
        n("x") as i32,
        n("y") as i32,
        n("width") as u32,
        n("height") as u32,
    )
}

fn wait_shown(s: &Session, want: &[u32], what: &str) {
    s.wait_for_report(
        |s| {
            let now = shown(s);
            if now == want {
                Ok(())
            } else {
                Err(format!("tray shows {now:#x?}, want {want:#x?}"))
            }
        },
        what,
    )
}

/// Like `Session::wait_for_value` with a longer deadline, for a real GTK program that
/// starts slowly when every test runs at once on a small machine.
fn wait_slow<T>(s: &Session, mut cond: impl FnMut(&Session) -> Option<T>, what: &str) -> T {
    let deadline = Deadline::after(std::time::Duration::from_secs(60));
    let mut backoff = Backoff::default();
    loop {
        // Across a restart the socket is briefly missing: only a sync that worked counts.
        if s.cmd(&["sync"]).is_ok() {
            if let Some(v) = cond(s) {
                return v;
            }
        }
        if deadline.expired() {
            s.fail(&format!("timed out after 60s waiting for: {what}"));
        }
        backoff.pause(&deadline);
    }
}

/// Pixels of a root rectangle as 0xRRGGBB.
fn grab(s: &Session, r: Rect) -> Vec<u32> {
    s.client().pixels(r)
}

fn prop32(s: &Session, window: u32, name: &str) -> Vec<u32> {
    let client = s.client();
    let atom = client.atom(name);
    client
        .conn()
        .get_property(false, window, atom, AtomEnum::ANY, 0, 64)
        .expect("get_property")
        .reply()
        .ok()
        .and_then(|r| r.value32().map(|v| v.collect()))
        .unwrap_or_default()
}

/// A small deterministic generator (the tests must be repeatable).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n.max(1)
    }
}

#[test]
fn five_icons_dock_in_arrival_order_at_the_bar_icon_size() {
    let s = Session::start(&config("top", ""));
    let t = tray(&s);
    assert_eq!(t["status"], "running", "{t}");
    let tray_win = tray_window(&s);
    let colors = [0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0xff00ff];
    let icons: Vec<TrayIcon> = colors
        .iter()
        .enumerate()
        .map(|(i, &c)| TrayIcon::docked(s.display(), &format!("Icon{i}"), c))
        .collect();
    assert_eq!(
        icons[0].manager(),
        tray_win,
        "the tray window owns the selection"
    );
    let wins: Vec<u32> = icons.iter().map(TrayIcon::window).collect();
    wait_shown(&s, &wins, "five icons in arrival order");
    assert_eq!(tray(&s)["count"], 5);

    // XEMBED: each icon is a child of the tray window, told so with protocol version 0.
    for icon in &icons {
        assert_eq!(icon.parent(), Some(tray_win));
        assert_eq!(icon.embedded_notify(), Some((tray_win, 0)));
    }
    // The widget made room for exactly five icons; they sit in it side by side, centred
    // across the bar, at its icon size, where oxtile says they are.
    s.wait_for(
        |s| widget_length(s) == 5 * u64::from(ICON + SPACING),
        "the systray widget grew to five icons",
    );
    let listed = tray(&s)["icons"].as_array().cloned().unwrap_or_default();
    let first = icon_rect(&listed[0]);
    for (i, (icon, v)) in icons.iter().zip(&listed).enumerate() {
        let want = Rect::new(
            first.x + (i as u32 * (ICON + SPACING)) as i32,
            2,
            ICON,
            ICON,
        );
        assert_eq!(icon_rect(v), want, "icon {i} as oxtile reports it");
        s.wait_for(|_| icon.geometry() == Some(want), "icon at its slot in X");
        assert!(icon.viewable());
        assert_eq!(v["class"], format!("Icon{i}"));
    }
    // The protocol properties on the tray window.
    assert_eq!(prop32(&s, tray_win, "_NET_SYSTEM_TRAY_ORIENTATION"), [0]);
    let root_visual = s.client().conn().setup().roots[0].root_visual;
    assert_eq!(
        prop32(&s, tray_win, "_NET_SYSTEM_TRAY_VISUAL"),
        [root_visual],
        "no compositor: the default visual"
    );
    let colors = prop32(&s, tray_win, "_NET_SYSTEM_TRAY_COLORS");
    assert_eq!(colors.len(), 12);
    assert_eq!(
        &colors[..3],
        &[0xffff, 0xffff, 0xffff],
        "the bar's foreground"
    );
    // The icons are drawn on screen: each shows its colour in the middle.
    for (icon, &c) in icons.iter().zip(&colors_of(&icons)) {
        let r = icon.geometry().expect("geometry");
        let px = grab(
            &s,
            Rect::new(r.x + r.w as i32 / 2, r.y + r.h as i32 / 2, 1, 1),
        );
        assert_eq!(px, [c], "icon colour on screen");
    }
}

/// The colours the five-icon test gave its icons, in order.
fn colors_of(icons: &[TrayIcon]) -> Vec<u32> {
    [0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0xff00ff][..icons.len()].to_vec()
}

#[test]
fn order_by_class_and_spacing_are_configurable() {
    let s = Session::start(&config("top", r#"order = "class", spacing = 6"#));
    let classes = ["echo", "Charlie", "alpha", "delta", "Bravo"];
    let icons: Vec<TrayIcon> = classes
        .iter()
        .map(|c| TrayIcon::docked(s.display(), c, 0x00ff00))
        .collect();
    let by_class: Vec<u32> = [2, 4, 1, 3, 0].iter().map(|&i| icons[i].window()).collect();
    wait_shown(
        &s,
        &by_class,
        "icons sorted by WM_CLASS, case-insensitively",
    );
    assert_eq!(tray(&s)["order"], "class");
    let xs: Vec<i32> = by_class
        .iter()
        .map(|w| {
            let icon = icons.iter().find(|i| i.window() == *w).expect("icon");
            icon.geometry().expect("geometry").x
        })
        .collect();
    for pair in xs.windows(2) {
        assert_eq!(pair[1] - pair[0], (ICON + 6) as i32, "slots {xs:?}");
    }
    assert_eq!(widget_length(&s), 5 * u64::from(ICON + 6));
}

#[test]
fn icons_keep_their_aspect_and_get_the_bar_background() {
    let s = Session::start(&config("top", ""));
    // 32x16: fits the 20-pixel square as 20x10, centred.
    let wide = TrayIcon::builder(s.display())
        .class("Wide")
        .size(32, 16)
        .color(0xffffff)
        .create();
    wide.dock();
    let square = TrayIcon::builder(s.display())
        .class("Square")
        .size(40, 40)
        .color(0x00ffff)
        .create();
    square.dock();
    wait_shown(&s, &[wide.window(), square.window()], "both icons");
    let w = s.wait_for_value(
        |_| wide.geometry().filter(|g| g.w == 20),
        "the wide icon resized",
    );
    assert_eq!(
        (w.w, w.h, w.y),
        (20, 10, 2 + 5),
        "20x10, centred across the bar"
    );
    let q = s.wait_for_value(
        |_| square.geometry().filter(|g| g.w == ICON),
        "the square icon resized",
    );
    assert_eq!((q.w, q.h, q.y), (ICON, ICON, 2));
    // A non-ARGB icon: the bar's colour behind what it draws. Its drawing (a 20x20 square
    // at (10, 10), made for its 40x40 self) now fills its bottom-right quarter.
    let px = grab(&s, q);
    let at = |x: u32, y: u32| px[(y * q.w + x) as usize];
    assert_eq!(at(0, 0), BAR_BG, "top-left shows the bar's background");
    assert_eq!(at(q.w - 1, 0), BAR_BG, "top-right too");
    assert_eq!(at(0, q.h - 1), BAR_BG, "bottom-left too");
    assert_eq!(at(q.w - 1, q.h - 1), 0x00ffff, "the icon's own drawing");
    // The slot above and below the wide icon is bar background too.
    assert!(grab(&s, Rect::new(w.x, 2, w.w, 5))
        .iter()
        .all(|&p| p == BAR_BG));
}

#[test]
fn xembed_mapped_hides_and_shows_an_icon_and_self_unmaps_shrink_the_tray() {
    let s = Session::start(&config("top", ""));
    let a = TrayIcon::docked(s.display(), "A", 0xff0000);
    let b = TrayIcon::docked(s.display(), "B", 0x0000ff);
    wait_shown(&s, &[a.window(), b.window()], "two icons");

    a.set_mapped(false);
    wait_shown(&s, &[b.window()], "A hidden through XEMBED_MAPPED");
    assert!(!a.viewable(), "A unmapped in X");
    assert_eq!(a.parent(), Some(tray_window(&s)), "A stays docked");
    assert_eq!(docked(&s), [a.window(), b.window()]);
    let client = s.client();
    s.wait_for(
        |s| b.geometry().map(|g| g.x) == client.try_geometry(tray_window(s)).map(|t| t.x),
        "B moved to the tray's first slot",
    );
    s.wait_for(
        |s| widget_length(s) == u64::from(ICON + SPACING),
        "tray shrank",
    );

    a.set_mapped(true);
    wait_shown(&s, &[a.window(), b.window()], "A back");
    s.wait_for(|_| a.viewable(), "A mapped again");
    s.wait_for(
        |s| widget_length(s) == 2 * u64::from(ICON + SPACING),
        "tray grew",
    );

    // An icon that docks with XEMBED_MAPPED unset waits, hidden, until it sets it.
    let c = TrayIcon::builder(s.display())
        .class("C")
        .xembed(Some(false))
        .create();
    c.dock();
    s.wait_for(|s| docked(s).contains(&c.window()), "C docked");
    assert_eq!(shown(&s), [a.window(), b.window()], "C not shown");
    assert!(!c.viewable());
    c.set_mapped(true);
    wait_shown(&s, &[a.window(), b.window(), c.window()], "C shown");

    // An applet that unmaps its icon itself leaves the tray; mapping it brings it back.
    b.map_self(false);
    wait_shown(&s, &[a.window(), c.window()], "B unmapped itself");
    b.map_self(true);
    wait_shown(&s, &[a.window(), b.window(), c.window()], "B mapped itself");

    // Old applets without _XEMBED_INFO are shown.
    let d = TrayIcon::builder(s.display())
        .class("D")
        .xembed(None)
        .create();
    d.dock();
    wait_shown(
        &s,
        &[a.window(), b.window(), c.window(), d.window()],
        "D shown without _XEMBED_INFO",
    );
}

#[test]
fn icons_whose_client_dies_or_that_destroy_themselves_are_removed() {
    let s = Session::start(&config("top", ""));
    let a = TrayIcon::docked(s.display(), "A", 0xff0000);
    let b = TrayIcon::docked(s.display(), "B", 0x00ff00);
    let c = TrayIcon::docked(s.display(), "C", 0x0000ff);
    let (wa, wb, wc) = (a.window(), b.window(), c.window());
    wait_shown(&s, &[wa, wb, wc], "three icons");
    b.die();
    wait_shown(&s, &[wa, wc], "B's client died");
    s.wait_for(
        |s| widget_length(s) == 2 * u64::from(ICON + SPACING),
        "the tray shrank",
    );
    c.destroy_window();
    wait_shown(&s, &[wa], "C destroyed its icon");
    assert_eq!(docked(&s), [wa]);
    a.die();
    wait_shown(&s, &[], "A died");
    assert_eq!(tray(&s)["count"], 0);
    s.wait_for(|s| widget_length(s) == 0, "empty tray takes no room");
}

#[test]
fn fifty_icons_docking_and_dying_at_random_leave_the_tray_consistent() {
    let s = Session::start(&config("top", ""));
    let mut rng = Lcg(0x5eed);
    let mut live: Vec<TrayIcon> = Vec::new();
    let consistent = |s: &Session, live: &[TrayIcon]| -> Result<(), String> {
        let mut want: Vec<u32> = live.iter().map(TrayIcon::window).collect();
        want.sort_unstable();
        let t = tray(s);
        let mut listed = docked(s);
        listed.sort_unstable();
        let count = t["count"].as_u64().unwrap_or(u64::MAX);
        let tree = s
            .client()
            .conn()
            .query_tree(t["window"].as_u64().unwrap_or(0) as u32)
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|r| {
                let mut c = r.children;
                c.sort_unstable();
                c
            })
            .unwrap_or_default();
        if listed == want && count == want.len() as u64 && tree == want {
            Ok(())
        } else {
            Err(format!(
                "live {}, listed {}, count {count}, children of the tray {}",
                want.len(),
                listed.len(),
                tree.len()
            ))
        }
    };
    for round in 0..10 {
        for i in 0..5 {
            let class = format!("R{round}I{i}");
            live.push(TrayIcon::docked(s.display(), &class, rng.next() & 0xffffff));
            // Kill one now and then, often before oxtile has even seen its dock request.
            if rng.below(3) == 0 {
                let victim = rng.below(live.len());
                live.swap_remove(victim).die();
            }
        }
        if round == 4 {
            s.wait_for_report(|s| consistent(s, &live), "consistent half way");
        }
    }
    s.wait_for_report(
        |s| consistent(s, &live),
        "the tray lists exactly the live icons",
    );
    assert!(live.len() >= 20, "enough icons survived to mean something");
    // Every live icon is docked and has a slot of its own.
    let mut xs: Vec<i64> = tray(&s)["icons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["x"].as_i64().unwrap_or(-1))
        .collect();
    xs.dedup();
    assert_eq!(xs.len(), live.len(), "no two icons share a slot");
    let tray_win = tray_window(&s);
    assert!(live.iter().all(|i| i.parent() == Some(tray_win)));
}

#[test]
fn garbage_opcodes_and_wrong_windows_do_not_crash_oxtile() {
    let s = Session::start(&config("top", ""));
    let legit = TrayIcon::docked(s.display(), "Legit", 0xff0000);
    wait_shown(&s, &[legit.window()], "the legit icon");
    let tray_win = tray_window(&s);
    let bar_win = s.cmd_json(&["widgets"])[0]["window"].as_u64().expect("bar") as u32;
    let sender = TrayIcon::builder(s.display()).class("Sender").create();
    let root = s.client().root();
    let opcode = sender.atoms()._NET_SYSTEM_TRAY_OPCODE;
    let data_atom = sender.atoms()._NET_SYSTEM_TRAY_MESSAGE_DATA;

    // Dock requests for windows that are not icons: none, the root, the tray and bar
    // themselves, ids nobody has, ids that cannot exist, and an icon docked already.
    for w in [
        0,
        root,
        tray_win,
        bar_win,
        0x07ff_ff00,
        0xe000_0001,
        legit.window(),
    ] {
        sender.opcode(tray_win, [0, REQUEST_DOCK, w, 0, 0]);
    }
    // Balloon messages: accepted and dropped.
    sender.opcode(tray_win, [0, BEGIN_MESSAGE, 1000, 5, 1]);
    sender.message(tray_win, 8, data_atom, [0x6c6c_6568, 0x6f, 0, 0, 0]);
    sender.opcode(tray_win, [0, CANCEL_MESSAGE, 1, 0, 0]);
    // Random data: any opcode, any window, wrong formats, sent to the tray and the root.
    let mut rng = Lcg(42);
    for i in 0..300 {
        let data = [
            rng.next(),
            rng.next() % 6,
            rng.next() | 0xe000_0000,
            rng.next(),
            rng.next(),
        ];
        let format = [32, 32, 8, 16][i % 4];
        let dest = if i % 5 == 0 { root } else { tray_win };
        let kind = if i % 7 == 0 { data_atom } else { opcode };
        sender.message(dest, format, kind, data);
    }
    // A dock request from an applet that dies at once.
    let ghost = TrayIcon::builder(s.display()).class("Ghost").create();
    let ghost_win = ghost.window();
    ghost.dock();
    ghost.die();

    s.sync();
    let t = tray(&s);
    assert_eq!(t["status"], "running");
    assert_eq!(docked(&s), [legit.window()], "only the legit icon: {t}");
    assert_eq!(legit.parent(), Some(tray_win));
    assert_ne!(sender.parent(), Some(tray_win));
    assert!(!docked(&s).contains(&ghost_win));
    // And the tray still works.
    let late = TrayIcon::docked(s.display(), "Late", 0x00ff00);
    wait_shown(
        &s,
        &[legit.window(), late.window()],
        "a new icon docks after the garbage",
    );
}

#[test]
fn icons_survive_reload_and_restart() {
    let s = Session::start(&config("top", ""));
    let a = TrayIcon::docked(s.display(), "Zulu", 0xff0000);
    let b = TrayIcon::docked(s.display(), "Alpha", 0x00ff00);
    let wins = [a.window(), b.window()];
    wait_shown(&s, &wins, "two icons");

    // Reload rebuilds the bars: the icons move with the tray into the new bar.
    s.cmd(&["reload"])
        .unwrap_or_else(|e| s.fail(&e.to_string()));
    wait_shown(&s, &wins, "both icons after reload");
    let tray_win = tray_window(&s);
    for icon in [&a, &b] {
        s.wait_for(|_| icon.viewable(), "icon viewable after reload");
        assert_eq!(icon.parent(), Some(tray_win));
    }
    let bar = s.cmd_json(&["widgets"])[0]["window"].as_u64().expect("bar") as u32;
    let tree = s
        .client()
        .conn()
        .query_tree(tray_win)
        .unwrap()
        .reply()
        .unwrap();
    assert_eq!(tree.parent, bar, "the tray sits in the new bar window");

    // Restart: the icons are handed back, parked, and docked again by the new process,
    // which announces itself as the tray manager.
    let watch = ManagerWatch::start(s.display());
    let _ = s.cmd(&["restart"]);
    s.wait_for(
        |_| !watch.announced().is_empty(),
        "MANAGER announced after restart",
    );
    wait_shown(&s, &wins, "both icons, in arrival order, after restart");
    let tray_win = tray_window(&s);
    for icon in [&a, &b] {
        s.wait_for(|_| icon.viewable(), "icon viewable after restart");
        assert_eq!(icon.parent(), Some(tray_win));
        assert_eq!(icon.embedded_notify(), Some((tray_win, 0)));
    }
    assert_eq!(watch.announced().last(), Some(&tray_win));
    // Nothing became a managed window on the way.
    assert!(s.windows().is_empty(), "{:?}", s.windows());
}

#[test]
fn another_tray_owning_the_selection_is_refused_politely_until_it_goes() {
    let server = XServer::start();
    let foreign = ForeignTray::own(server.display(), None);
    let foreign_win = foreign.window();
    let s = Session::builder()
        .server(server)
        .config(&config("top", ""))
        .start();
    s.wait_for(
        |s| tray(s)["status"] == "refused",
        "oxtile refuses the tray",
    );
    assert_eq!(tray(&s)["owner"], foreign_win);
    let log = s.log();
    assert!(
        log.contains("another tray") && log.contains("take_over = true"),
        "a clear log line: {log}"
    );
    assert_eq!(
        foreign.tray_owner(),
        foreign_win,
        "the selection stays with it"
    );
    assert!(!foreign.selection_cleared());
    assert_eq!(widget_length(&s), 0, "the widget shows an empty slot");
    // An applet docking now goes to the other tray, not to oxtile.
    let icon = TrayIcon::docked(s.display(), "Theirs", 0xff0000);
    s.sync();
    assert!(docked(&s).is_empty());
    assert_ne!(icon.parent(), Some(tray_window(&s)));

    // The other tray quits: oxtile takes the selection.
    foreign.quit();
    s.wait_for(|s| tray(s)["status"] == "running", "oxtile takes over");
    assert_eq!(icon.manager(), tray_window(&s));
    icon.dock();
    wait_shown(&s, &[icon.window()], "the applet docks with oxtile");
}

#[test]
fn take_over_replaces_another_tray() {
    let server = XServer::start();
    let foreign = ForeignTray::own(server.display(), None);
    let s = Session::builder()
        .server(server)
        .config(&config("top", "take_over = true"))
        .start();
    s.wait_for(|s| tray(s)["status"] == "running", "oxtile took the tray");
    let tray_win = tray_window(&s);
    assert_eq!(foreign.tray_owner(), tray_win);
    assert!(
        foreign.selection_cleared(),
        "the other tray heard SelectionClear"
    );
    let icon = TrayIcon::docked(s.display(), "Mine", 0xff0000);
    wait_shown(&s, &[icon.window()], "icons dock with oxtile");

    // Losing the selection the same way: oxtile releases its icons cleanly.
    let thief = ForeignTray::own(s.display(), None);
    s.wait_for(|s| tray(s)["status"] == "lost", "oxtile lost the selection");
    assert_eq!(tray(&s)["owner"], thief.window());
    assert!(docked(&s).is_empty());
    s.wait_for(
        |_| icon.parent() == Some(s.client().root()),
        "icon handed back to the root",
    );
    assert!(!icon.viewable());
}

#[test]
fn the_tray_advertises_an_argb_visual_when_a_compositor_runs() {
    let server = XServer::start();
    let compositor = ForeignTray::own(server.display(), Some("_NET_WM_CM_S0"));
    let s = Session::builder()
        .server(server)
        .config(&config("top", ""))
        .start();
    s.wait_for(|s| tray(s)["status"] == "running", "the tray runs");
    let client = s.client();
    let argb: Vec<u32> = client.conn().setup().roots[0]
        .allowed_depths
        .iter()
        .filter(|d| d.depth == 32)
        .flat_map(|d| d.visuals.iter())
        .filter(|v| v.class == VisualClass::TRUE_COLOR)
        .map(|v| v.visual_id)
        .collect();
    let visual = prop32(&s, tray_window(&s), "_NET_SYSTEM_TRAY_VISUAL");
    if argb.is_empty() {
        assert_eq!(visual, [client.conn().setup().roots[0].root_visual]);
    } else {
        assert_eq!(visual.len(), 1);
        assert!(
            argb.contains(&visual[0]),
            "{visual:?} is not ARGB ({argb:?})"
        );
    }
    drop(compositor);
}

#[test]
fn a_vertical_bar_stacks_icons_and_says_so() {
    let s = Session::start(&config("left", ""));
    let a = TrayIcon::docked(s.display(), "A", 0xff0000);
    let b = TrayIcon::docked(s.display(), "B", 0x00ff00);
    wait_shown(&s, &[a.window(), b.window()], "two icons");
    assert_eq!(
        prop32(&s, tray_window(&s), "_NET_SYSTEM_TRAY_ORIENTATION"),
        [1]
    );
    let (ga, gb) = (a.geometry().expect("a"), b.geometry().expect("b"));
    assert_eq!((ga.x, ga.w, ga.h), (2, ICON, ICON));
    assert_eq!(gb.x, 2);
    assert_eq!(
        gb.y - ga.y,
        (ICON + SPACING) as i32,
        "stacked top to bottom"
    );
}

#[test]
fn a_gtk_status_icon_from_yad_docks_shows_and_leaves() {
    let s = Session::start(&config("top", ""));
    let pid = s.spawn_program(
        "env",
        &[
            "NO_AT_BRIDGE=1",
            "yad",
            "--notification",
            "--image=dialog-information",
            "--text=oxtile tray test",
        ],
    );
    let find = |s: &Session| {
        tray(s)["icons"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["class"] == "Yad" && i["mapped"] == true)
            .cloned()
    };
    let icon = wait_slow(&s, find, "yad's icon docked and shown");
    let win = icon["window"].as_u64().expect("window") as u32;
    let tray_win = tray_window(&s);
    let client = s.client();
    let parent = client
        .conn()
        .query_tree(win)
        .unwrap()
        .reply()
        .unwrap()
        .parent;
    assert_eq!(parent, tray_win, "reparented into the tray");
    let r = icon_rect(&icon);
    assert_eq!((r.w, r.h), (ICON, ICON));
    // GTK draws the icon: inside its rectangle there are pixels that are not the bar.
    let drawn = s.wait_for_value(
        |s| {
            let px = grab(s, r);
            let n = px.iter().filter(|&&p| p != BAR_BG).count();
            (n > 20).then_some(n)
        },
        "yad's icon visible on the bar",
    );
    assert!(
        drawn < (r.w * r.h) as usize,
        "the bar's colour shows around it"
    );

    // It survives a restart (GTK docks again when the new tray announces itself).
    let _ = s.cmd(&["restart"]);
    let again = wait_slow(&s, find, "yad's icon back after restart");
    let again_win = again["window"].as_u64().expect("window") as u32;
    let parent = client
        .conn()
        .query_tree(again_win)
        .unwrap()
        .reply()
        .unwrap()
        .parent;
    assert_eq!(parent, tray_window(&s));
    assert!(s.windows().is_empty(), "yad's icon never became a window");

    // yad exits: its icon goes.
    xephyr_tests::wait::signal(pid, rustix::process::Signal::TERM);
    wait_slow(
        &s,
        |s| (tray(s)["count"] == 0).then_some(()),
        "yad's icon gone after it exits",
    );
    assert!(docked(&s).is_empty());
}

#[test]
fn the_tray_lives_on_the_bar_whose_systray_says_primary() {
    let lua = config("top", "")
        + r##"oxtile.bar{ position = "bottom", size = 24, background = "#203040",
  widgets = { oxtile.widget.systray{ primary = true } } }
"##;
    let s = Session::start(&lua);
    let icon = TrayIcon::docked(s.display(), "Anywhere", 0xff0000);
    wait_shown(&s, &[icon.window()], "the icon docked");
    let bars = s.cmd_json(&["widgets"]);
    let bottom = bars
        .as_array()
        .and_then(|b| b.iter().find(|b| b["position"] == "bottom"))
        .expect("a bottom bar");
    assert!(!bottom["tray"].is_null(), "the bottom bar hosts the tray");
    let top = bars
        .as_array()
        .and_then(|b| b.iter().find(|b| b["position"] == "top"))
        .expect("a top bar");
    assert!(top["tray"].is_null(), "the top bar's systray stays empty");
    let tree = s
        .client()
        .conn()
        .query_tree(tray_window(&s))
        .unwrap()
        .reply()
        .unwrap();
    assert_eq!(u64::from(tree.parent), bottom["window"].as_u64().unwrap());
    let g = icon.geometry().expect("geometry");
    assert_eq!(
        g.y,
        xephyr_tests::SCREEN_HEIGHT as i32 - 24 + 2,
        "in the bottom bar"
    );
}

#[test]
fn a_config_without_a_systray_hands_the_icons_back_and_a_later_one_takes_them() {
    let with_tray = config("top", "");
    let s = Session::start(&with_tray);
    let icon = TrayIcon::docked(s.display(), "Kept", 0xff0000);
    wait_shown(&s, &[icon.window()], "the icon docked");

    s.write_config(&with_tray.replace("oxtile.widget.systray{  },", ""));
    s.cmd(&["reload"])
        .unwrap_or_else(|e| s.fail(&e.to_string()));
    s.wait_for(|_| icon.manager() == 0, "the tray selection released");
    assert!(s.cmd_json(&["widgets"])[0]["tray"].is_null());
    let root = s.client().root();
    assert_eq!(
        icon.parent(),
        Some(root),
        "the icon handed back to the root"
    );
    assert!(!icon.viewable(), "and unmapped, not a stray window");
    assert!(s.windows().is_empty());

    s.write_config(&with_tray);
    s.cmd(&["reload"])
        .unwrap_or_else(|e| s.fail(&e.to_string()));
    wait_shown(&s, &[icon.window()], "the parked icon docked again");
    assert_eq!(icon.parent(), Some(tray_window(&s)));
}
