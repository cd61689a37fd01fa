//! Behaviour of the pure core, tested without X (in the style of penrose's StackSet tests):
//! feed `Input`s to a `State`, look at the immediate `Effect`s, the state and its snapshot.

use std::collections::{BTreeSet, HashSet};

use super::client::{ClientInfo, DockStrut, NetStates, Protocols, SizeHints, Strut, WindowType};
use super::drag::DragKind;
use super::geometry::Rect;
use super::rules::{Geometry, Length, Match, Rule};
use super::scratchpad::ScratchpadSpec;
use super::{
    diff, ConfigureReq, Effect, FocusTarget, HookEvent, Input, Snapshot, State, StateChange,
};
use crate::action::{Action, WindowId};
use crate::config::{Config, GroupSpec, LayoutSpec, Settings};

mod desktop;

const SCREEN: Rect = Rect::new(0, 0, 1000, 800);
const LEFT: Rect = Rect::new(0, 0, 1000, 800);
const RIGHT: Rect = Rect::new(1000, 0, 1000, 800);

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The default config with no gaps and no borders, so tiles are exact halves.
fn config() -> Config {
    let mut c = Config::default();
    c.settings.margin = 0;
    c.settings.border_width = 0;
    c
}

fn config_with(f: impl FnOnce(&mut Settings)) -> Config {
    let mut c = config();
    f(&mut c.settings);
    c
}

fn config_groups(names: &[&str]) -> Config {
    Config {
        groups: names
            .iter()
            .map(|n| GroupSpec {
                name: n.to_string(),
                layouts: None,
            })
            .collect(),
        ..config()
    }
}

/// One 1000×800 screen, default groups "1".."9", margin 0, border 0.
fn state() -> State {
    State::new(&config(), &[SCREEN])
}

fn two_screens() -> State {
    State::new(&config(), &[LEFT, RIGHT])
}

fn normal() -> ClientInfo {
    ClientInfo {
        title: "normal".into(),
        ..Default::default()
    }
}

fn typed(t: WindowType) -> ClientInfo {
    ClientInfo {
        window_type: t,
        geometry: Rect::new(0, 0, 200, 100),
        ..Default::default()
    }
}

fn transient(parent: WindowId, w: u32, h: u32) -> ClientInfo {
    ClientInfo {
        transient_for: Some(parent),
        geometry: Rect::new(0, 0, w, h),
        ..Default::default()
    }
}

fn dock(strut: Strut) -> ClientInfo {
    ClientInfo {
        window_type: WindowType::Dock,
        strut: Some(strut.into()),
        ..Default::default()
    }
}

fn top_strut(top: u32) -> Strut {
    Strut {
        top,
        ..Default::default()
    }
}

fn map(s: &mut State, id: WindowId, info: ClientInfo) -> Vec<Effect> {
    let fx = s.handle(Input::MapRequest { window: id, info });
    check_invariants(s);
    fx
}

fn map_all(s: &mut State, ids: impl IntoIterator<Item = WindowId>) {
    for id in ids {
        map(s, id, normal());
    }
}

fn act(s: &mut State, a: Action) -> Vec<Effect> {
    let fx = s.handle(Input::Action(a));
    check_invariants(s);
    fx
}

fn input(s: &mut State, i: Input) -> Vec<Effect> {
    let fx = s.handle(i);
    check_invariants(s);
    fx
}

fn to_group(name: &str) -> Action {
    Action::ToGroup {
        group: name.to_string(),
    }
}

fn move_to(name: &str) -> Action {
    Action::MoveToGroup {
        group: name.to_string(),
    }
}

fn click(s: &mut State, w: WindowId) -> Vec<Effect> {
    input(s, Input::Clicked { window: w })
}

fn hooks(fx: &[Effect]) -> Vec<HookEvent> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Hook(h) => Some(*h),
            _ => None,
        })
        .collect()
}

/// Name of the group a window is in.
fn group_of(s: &State, w: WindowId) -> &str {
    &s.groups[s.clients[&w].group].name
}

fn current(s: &State) -> &str {
    &s.groups[s.current_group()].name
}

fn windows_of(s: &State, name: &str) -> Vec<WindowId> {
    s.groups[s.group_index(name).unwrap()].windows.clone()
}

fn layout_name(s: &State) -> &'static str {
    s.groups[s.current_group()].current_layout().name()
}

/// The geometry of a visible window in the current snapshot.
fn rect(s: &State, w: WindowId) -> Rect {
    let snap = s.snapshot();
    let v = snap.windows[&w];
    assert!(v.visible, "window {w} is not visible");
    v.rect
}

fn visible(s: &State, w: WindowId) -> bool {
    s.snapshot().windows.get(&w).is_some_and(|v| v.visible)
}

fn position(fx: &[Effect], pred: impl Fn(&Effect) -> bool) -> usize {
    fx.iter()
        .position(pred)
        .unwrap_or_else(|| panic!("effect not found in {fx:?}"))
}

fn is_tiled(s: &State, w: WindowId) -> bool {
    let c = &s.clients[&w];
    !c.floats() && !c.fullscreen && !s.groups[c.group].current_layout().is_floating()
}

/// The structural invariants that must hold after every input.
fn check_invariants(s: &State) {
    // Screens and groups.
    assert!(!s.screens.is_empty());
    assert!(s.focused_screen < s.screens.len());
    assert!(!s.groups.is_empty());
    let shown: Vec<usize> = s.screens.iter().map(|sc| sc.group).collect();
    for &g in &shown {
        assert!(
            g < s.groups.len(),
            "screen shows group {g} of {}",
            s.groups.len()
        );
    }
    if s.groups.len() >= s.screens.len() {
        let distinct: HashSet<usize> = shown.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            shown.len(),
            "two screens show one group: {shown:?}"
        );
    }
    // Every client is in exactly one group's windows, the one it points to.
    let mut seen = HashSet::new();
    for (gi, g) in s.groups.iter().enumerate() {
        for &w in &g.windows {
            assert!(seen.insert(w), "window {w} is in two groups (or twice)");
            let c = s
                .clients
                .get(&w)
                .unwrap_or_else(|| panic!("group holds unknown {w}"));
            assert_eq!(c.group, gi, "client {w} points at the wrong group");
        }
        let fs: HashSet<WindowId> = g.focus_stack.iter().copied().collect();
        assert_eq!(fs.len(), g.focus_stack.len(), "focus stack has duplicates");
        for w in &g.focus_stack {
            assert!(
                g.windows.contains(w),
                "focus stack of {} holds foreign {w}",
                g.name
            );
        }
    }
    let clients: HashSet<WindowId> = s.clients.keys().copied().collect();
    assert_eq!(seen, clients, "clients and group windows differ");
    // managed_order is the set of clients, without duplicates.
    let order: HashSet<WindowId> = s.managed_order.iter().copied().collect();
    assert_eq!(
        order.len(),
        s.managed_order.len(),
        "managed_order has duplicates"
    );
    assert_eq!(order, clients, "managed_order differs from the clients");
    // Unmanaged windows (docks, popups) are never clients.
    for d in s.unmanaged.keys() {
        assert!(!s.clients.contains_key(d), "unmanaged {d} is managed");
    }
    // Minimized windows are hidden and never in a focus history.
    for (w, c) in &s.clients {
        if c.minimized {
            assert!(!s.is_visible(*w), "minimized {w} is visible");
            for g in &s.groups {
                assert!(!g.focus_stack.contains(w), "minimized {w} in a focus stack");
            }
        }
        assert!(!(c.above && c.below), "{w} is above and below");
    }
    if s.showing_desktop {
        assert_eq!(s.focused(), None, "showing the desktop leaves no focus");
    }
    if let Some(d) = s.drag {
        assert!(
            s.clients.contains_key(&d.window),
            "dragging unknown {}",
            d.window
        );
    }
    for sp in &s.scratchpads {
        if let Some(w) = sp.window {
            assert!(
                s.clients.contains_key(&w),
                "scratchpad {} holds unknown {w}",
                sp.spec.name
            );
        }
    }
    // Focus is on a managed, visible window.
    let snap = s.snapshot();
    if let Some(f) = s.focused() {
        assert!(s.clients.contains_key(&f));
        assert!(s.is_visible(f));
        assert!(snap.windows[&f].visible);
        assert_eq!(snap.focus.map(|t| t.window), Some(f));
    } else {
        assert_eq!(snap.focus, None);
    }
    // The snapshot describes every client once.
    assert_eq!(snap.windows.len(), s.clients.len());
    let list: HashSet<WindowId> = snap.client_list.iter().copied().collect();
    assert_eq!(
        list.len(),
        snap.client_list.len(),
        "client_list has duplicates"
    );
    let stack: HashSet<WindowId> = snap.stack.iter().copied().collect();
    assert_eq!(stack.len(), snap.stack.len(), "stack has duplicates");
    // X's stack: every unmanaged window and every visible client, once.
    let x_stack = snap.x_stack();
    let x_set: HashSet<WindowId> = x_stack.iter().copied().collect();
    assert_eq!(x_set.len(), x_stack.len(), "X stack has duplicates");
    assert_eq!(x_stack.len(), snap.stack.len() + s.unmanaged.len());
    assert!(snap.docks_at <= snap.stack.len());
    if let (Some(first), Some(last)) = (snap.desktop_windows.first(), snap.popups.last()) {
        assert_eq!(
            x_stack.first(),
            Some(first),
            "desktop windows at the bottom"
        );
        assert_eq!(x_stack.last(), Some(last), "popups on top");
    }
    assert_eq!(snap.workareas.len(), s.groups.len());
    for (w, c) in &s.clients {
        let v = snap.windows[w];
        assert_eq!(v.states, c.net_states());
        if c.sticky {
            assert_eq!(v.desktop, 0xffff_ffff);
        } else {
            assert_eq!(v.desktop as usize, c.group);
        }
    }
    for (w, v) in &snap.windows {
        assert_eq!(
            v.visible,
            stack.contains(w),
            "visible windows are the stacked ones"
        );
        assert_eq!(v.visible, s.is_visible(*w));
    }
    // Visible tiled windows lie within their screen's work area.
    for (si, sc) in s.screens.iter().enumerate() {
        let area = s.work_area(si);
        assert!(
            sc.rect.contains_rect(&area),
            "work area {area:?} outside {:?}",
            sc.rect
        );
        if s.screen_of_group(sc.group) != Some(si) {
            continue;
        }
        for &w in &s.groups[sc.group].windows {
            if is_tiled(s, w) && s.is_visible(w) {
                let r = snap.windows[&w].rect;
                assert!(area.contains_rect(&r), "tile {r:?} of {w} outside {area:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Managing windows
// ---------------------------------------------------------------------------------------

#[test]
fn new_state_shows_the_first_groups() {
    let s = two_screens();
    assert_eq!(s.groups.len(), 9);
    assert_eq!(s.screens[0].group, 0);
    assert_eq!(s.screens[1].group, 1);
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), None);
    check_invariants(&s);
}

#[test]
fn new_windows_join_the_focused_group_at_the_end_and_take_focus() {
    let mut s = state();
    for w in 1..=3 {
        map(&mut s, w, normal());
        assert_eq!(s.focused(), Some(w));
    }
    assert_eq!(windows_of(&s, "1"), vec![1, 2, 3]);
    assert_eq!(s.managed_order, vec![1, 2, 3]);
    assert_eq!(s.groups[0].focus_stack, vec![1, 2, 3]);
    // Focus went to 3, and the new window is last in layout order.
    click(&mut s, 1);
    map(&mut s, 4, normal());
    assert_eq!(windows_of(&s, "1"), vec![1, 2, 3, 4]);
    assert_eq!(s.focused(), Some(4));
}

#[test]
fn managing_emits_client_new_then_client_focus() {
    let mut s = state();
    let fx = map(&mut s, 7, normal());
    assert_eq!(
        hooks(&fx),
        vec![HookEvent::ClientNew(7), HookEvent::ClientFocus(7)]
    );
}

#[test]
fn new_windows_join_the_group_of_the_focused_screen() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    assert_eq!(group_of(&s, 1), "1");
    assert_eq!(group_of(&s, 2), "2");
    assert_eq!(s.focused(), Some(2));
    assert!(RIGHT.contains_rect(&rect(&s, 2)));
    // Clicking the window on the left screen moves screen focus there.
    click(&mut s, 1);
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), Some(1));
    // Each screen's group remembers its own focus.
    assert_eq!(s.groups[1].focused(), Some(2));
}

#[test]
fn docks_are_not_managed_and_shrink_the_work_area() {
    let mut s = state();
    let fx = map(&mut s, 50, dock(top_strut(30)));
    assert_eq!(fx, vec![Effect::MapUnmanaged(50)]);
    assert!(s.clients.is_empty());
    assert!(s.managed_order.is_empty());
    assert_eq!(s.focused(), None);
    assert_eq!(s.work_area(0), Rect::new(0, 30, 1000, 770));
    map_all(&mut s, [1, 2]);
    assert_eq!(rect(&s, 1), Rect::new(0, 30, 500, 770));
    assert_eq!(rect(&s, 2), Rect::new(500, 30, 500, 770));
    assert!(!s.snapshot().client_list.contains(&50));
    assert!(!s.snapshot().stack.contains(&50));
}

#[test]
fn strut_changes_and_dock_removal_update_the_work_area() {
    let mut s = state();
    map(&mut s, 50, dock(top_strut(30)));
    map(&mut s, 1, normal());
    input(
        &mut s,
        Input::StrutChanged {
            window: 50,
            strut: Some(
                Strut {
                    bottom: 40,
                    left: 10,
                    ..Default::default()
                }
                .into(),
            ),
        },
    );
    assert_eq!(rect(&s, 1), Rect::new(10, 0, 990, 760));
    input(
        &mut s,
        Input::StrutChanged {
            window: 50,
            strut: None,
        },
    );
    assert_eq!(rect(&s, 1), SCREEN);
    input(
        &mut s,
        Input::StrutChanged {
            window: 50,
            strut: Some(top_strut(20).into()),
        },
    );
    assert_eq!(rect(&s, 1), Rect::new(0, 20, 1000, 780));
    // A dock going away is not a managed window: no Withdraw, no hooks.
    let fx = input(&mut s, Input::Unmapped { window: 50 });
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(rect(&s, 1), SCREEN);
    // Struts of windows that are not docks are ignored.
    input(
        &mut s,
        Input::StrutChanged {
            window: 1,
            strut: Some(top_strut(100).into()),
        },
    );
    assert_eq!(rect(&s, 1), SCREEN);
}

#[test]
fn struts_apply_only_to_screens_touching_that_root_edge() {
    let mut s = State::new(&config(), &[LEFT, Rect::new(1000, 100, 1000, 700)]);
    map(
        &mut s,
        50,
        dock(Strut {
            top: 30,
            bottom: 25,
            ..Default::default()
        }),
    );
    // Only the left screen touches the root's top edge; both touch its bottom.
    assert_eq!(s.work_area(0), Rect::new(0, 30, 1000, 745));
    assert_eq!(s.work_area(1), Rect::new(1000, 100, 1000, 675));
}

#[test]
fn absurd_struts_and_reserves_keep_the_work_area_inside_the_screen() {
    let mut s = state();
    map(
        &mut s,
        50,
        dock(Strut {
            left: u32::MAX,
            right: u32::MAX,
            top: u32::MAX,
            bottom: 5000,
        }),
    );
    let area = s.work_area(0);
    assert!(SCREEN.contains_rect(&area), "{area:?}");
    assert!(area.w >= 1 && area.h >= 1);
    map_all(&mut s, [1, 2, 3]);
    input(
        &mut s,
        Input::ReserveChanged {
            screen: 0,
            reserve: Strut {
                left: u32::MAX,
                right: 1,
                top: 0,
                bottom: u32::MAX,
            },
        },
    );
    // A reserve for a screen that does not exist is ignored.
    input(
        &mut s,
        Input::ReserveChanged {
            screen: 7,
            reserve: top_strut(10),
        },
    );
}

#[test]
fn reserve_for_the_bar_shrinks_the_work_area_of_its_screen_only() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    input(
        &mut s,
        Input::ReserveChanged {
            screen: 0,
            reserve: top_strut(24),
        },
    );
    assert_eq!(s.work_area(0), Rect::new(0, 24, 1000, 776));
    assert_eq!(s.work_area(1), RIGHT);
    assert_eq!(rect(&s, 1), Rect::new(0, 24, 1000, 776));
}

#[test]
fn desktop_windows_are_not_managed() {
    let mut s = state();
    let fx = map(&mut s, 9, typed(WindowType::Desktop));
    assert_eq!(fx, vec![Effect::MapUnmanaged(9)]);
    assert!(s.clients.is_empty());
    assert_eq!(s.work_area(0), SCREEN);
}

#[test]
fn a_window_mapped_twice_is_managed_once() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 2, normal());
    let fx = map(&mut s, 1, normal());
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(windows_of(&s, "1"), vec![1, 2]);
    assert_eq!(s.managed_order, vec![1, 2]);
    assert_eq!(s.focused(), Some(2), "a second map does not steal focus");
}

#[test]
fn a_dock_mapped_again_as_a_normal_window_is_managed_once() {
    let mut s = state();
    map(&mut s, 50, dock(top_strut(30)));
    map(&mut s, 50, normal());
    assert!(s.unmanaged.is_empty());
    assert_eq!(s.managed_order, vec![50]);
    assert_eq!(rect(&s, 50), SCREEN, "its strut no longer counts");
    // And it can be unmanaged again.
    let fx = input(&mut s, Input::Unmapped { window: 50 });
    assert!(fx.contains(&Effect::Withdraw(50)));
    assert!(s.clients.is_empty());
    // A managed window mapped again as a dock stays managed.
    map(&mut s, 51, normal());
    assert!(map(&mut s, 51, dock(top_strut(30))).is_empty());
    assert!(s.unmanaged.is_empty());
    assert_eq!(s.work_area(0), SCREEN);
}

#[test]
fn a_window_asking_for_fullscreen_before_mapping_is_fullscreen() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(
        &mut s,
        2,
        ClientInfo {
            fullscreen: true,
            ..normal()
        },
    );
    let snap = s.snapshot();
    assert_eq!(snap.windows[&2].rect, SCREEN);
    assert!(snap.windows[&2].fullscreen);
    assert_eq!(snap.stack.last(), Some(&2));
    assert_eq!(rect(&s, 1), SCREEN, "the other window tiles alone");
}

#[test]
fn titles_and_protocols_are_recorded() {
    let mut s = state();
    map(&mut s, 1, normal());
    input(
        &mut s,
        Input::TitleChanged {
            window: 1,
            title: "vim".into(),
        },
    );
    assert_eq!(s.clients[&1].info.title, "vim");
    input(
        &mut s,
        Input::ProtocolsChanged {
            window: 1,
            protocols: Protocols {
                delete_window: true,
                take_focus: true,
            },
        },
    );
    assert!(s.clients[&1].info.protocols.delete_window);
    assert_eq!(s.snapshot().focus.map(|f| f.take_focus), Some(true));
}

// ---------------------------------------------------------------------------------------
// Floating decisions
// ---------------------------------------------------------------------------------------

#[test]
fn special_window_types_float_and_normal_ones_tile() {
    let mut s = state();
    let floating = [
        WindowType::Dialog,
        WindowType::Utility,
        WindowType::Splash,
        WindowType::Toolbar,
    ];
    for (i, t) in floating.iter().enumerate() {
        let w = 10 + i as WindowId;
        map(&mut s, w, typed(*t));
        assert!(s.clients[&w].floating, "{t:?} should float");
    }
    map(&mut s, 1, typed(WindowType::Normal));
    assert!(!s.clients[&1].floating);
    // The only tiled window gets the whole screen.
    assert_eq!(rect(&s, 1), SCREEN);
}

#[test]
fn menus_tooltips_and_notifications_are_shown_unmanaged_and_never_focused() {
    let mut s = state();
    map(&mut s, 1, normal());
    let popups = [
        WindowType::Menu,
        WindowType::DropdownMenu,
        WindowType::PopupMenu,
        WindowType::Tooltip,
        WindowType::Combo,
        WindowType::Dnd,
        WindowType::Notification,
    ];
    for (i, t) in popups.iter().enumerate() {
        let w = 20 + i as WindowId;
        let fx = map(&mut s, w, typed(*t));
        assert_eq!(fx, vec![Effect::MapUnmanaged(w)], "{t:?}");
        assert!(!s.clients.contains_key(&w), "{t:?} is not managed");
        // Neither the pointer nor a click nor the client itself gives it the focus.
        input(&mut s, Input::Enter { window: w });
        click(&mut s, w);
        input(&mut s, Input::FocusIn { window: w });
        assert_eq!(s.focused(), Some(1), "{t:?} never takes the focus");
    }
    assert_eq!(s.work_area(0), SCREEN, "popups reserve nothing");
    let snap = s.snapshot();
    assert_eq!(snap.popups.len(), popups.len());
    let x = snap.x_stack();
    assert_eq!(x[0], 1, "managed windows below the popups");
    assert_eq!(x.len(), 1 + popups.len());
    assert!(!snap.client_list.iter().any(|w| *w >= 20));
}

#[test]
fn dialogs_at_the_origin_are_centred_and_placed_ones_keep_their_position() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    assert_eq!(rect(&s, 1), Rect::new(400, 350, 200, 100));
    map(
        &mut s,
        2,
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(100, 120, 300, 200),
            ..Default::default()
        },
    );
    assert_eq!(rect(&s, 2), Rect::new(100, 120, 300, 200));
    // Off-screen: centred.
    map(
        &mut s,
        3,
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(5000, 5000, 300, 200),
            ..Default::default()
        },
    );
    assert_eq!(rect(&s, 3), Rect::new(350, 300, 300, 200));
    // Larger than the screen: shrunk to fit the work area.
    map(
        &mut s,
        4,
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(0, 0, 3000, 2000),
            ..Default::default()
        },
    );
    assert_eq!(rect(&s, 4), SCREEN);
}

#[test]
fn fixed_size_windows_float_and_others_tile() {
    let mut s = state();
    let fixed = SizeHints {
        min: Some((300, 200)),
        max: Some((300, 200)),
        ..Default::default()
    };
    map(
        &mut s,
        1,
        ClientInfo {
            size_hints: fixed,
            geometry: Rect::new(0, 0, 50, 50),
            ..Default::default()
        },
    );
    assert!(s.clients[&1].floating);
    assert_eq!(
        rect(&s, 1),
        Rect::new(350, 300, 300, 200),
        "size from the hints"
    );
    let ranged = SizeHints {
        min: Some((100, 100)),
        max: Some((300, 200)),
        ..Default::default()
    };
    map(
        &mut s,
        2,
        ClientInfo {
            size_hints: ranged,
            ..Default::default()
        },
    );
    assert!(!s.clients[&2].floating);
    // A window that becomes fixed-size later floats from then on.
    input(
        &mut s,
        Input::SizeHintsChanged {
            window: 2,
            hints: fixed,
        },
    );
    assert!(s.clients[&2].floating);
}

#[test]
fn transients_float_centred_on_their_parent() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    assert_eq!(rect(&s, 2), Rect::new(500, 0, 500, 800));
    map(&mut s, 3, transient(2, 200, 100));
    assert!(s.clients[&3].floating);
    assert_eq!(group_of(&s, 3), "1");
    assert_eq!(rect(&s, 3), Rect::new(650, 350, 200, 100));
    assert_eq!(s.focused(), Some(3));
    // It stacks above the tiled windows.
    assert_eq!(s.snapshot().stack.last(), Some(&3));
}

#[test]
fn transients_join_their_parents_group_even_when_it_is_hidden() {
    let mut s = state();
    map(&mut s, 1, normal());
    act(&mut s, to_group("2"));
    map(&mut s, 2, normal());
    let fx = map(&mut s, 3, transient(1, 200, 100));
    assert_eq!(group_of(&s, 3), "1");
    assert!(!visible(&s, 3));
    // It does not steal focus from the shown group...
    assert_eq!(s.focused(), Some(2));
    assert_eq!(hooks(&fx), vec![HookEvent::ClientNew(3)]);
    // ...and the parent keeps focus in its own group.
    act(&mut s, to_group("1"));
    assert_eq!(s.focused(), Some(1));
    assert!(visible(&s, 3));
}

#[test]
fn transient_for_itself_or_an_unknown_window_is_a_plain_dialog() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 5, transient(5, 200, 100));
    assert!(s.clients[&5].floating);
    assert_eq!(group_of(&s, 5), "1");
    assert_eq!(rect(&s, 5), Rect::new(400, 350, 200, 100));
    map(&mut s, 6, transient(12345, 200, 100));
    assert!(s.clients[&6].floating);
    assert_eq!(rect(&s, 6), Rect::new(400, 350, 200, 100));
    let snap = s.snapshot();
    assert_eq!(snap.stack.len(), 3);
}

#[test]
fn transient_cycles_do_not_hang_the_snapshot() {
    let mut s = state();
    // 1 -> 2 (unknown at the time), 2 -> 3, 3 -> 1: a cycle of three, and 4 <-> 4.
    map(&mut s, 1, transient(2, 100, 100));
    map(&mut s, 2, transient(3, 100, 100));
    map(&mut s, 3, transient(1, 100, 100));
    map(&mut s, 4, transient(4, 100, 100));
    map(&mut s, 5, transient(6, 100, 100));
    map(&mut s, 6, transient(5, 100, 100));
    let snap = s.snapshot();
    let stack: BTreeSet<WindowId> = snap.stack.iter().copied().collect();
    assert_eq!(stack, (1..=6).collect());
    assert_eq!(snap.stack.len(), 6);
}

#[test]
fn transients_stack_above_their_parent_even_when_the_parent_was_focused_later() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    map(&mut s, 2, transient(1, 100, 100));
    click(&mut s, 1);
    let stack = s.snapshot().stack;
    let p1 = stack.iter().position(|&w| w == 1).unwrap();
    let p2 = stack.iter().position(|&w| w == 2).unwrap();
    assert!(p2 > p1, "transient below its parent: {stack:?}");
}

#[test]
fn initial_float_geometry_respects_size_hints() {
    let mut s = state();
    map(
        &mut s,
        1,
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(0, 0, 100, 100),
            size_hints: SizeHints {
                min: Some((500, 400)),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    assert_eq!(rect(&s, 1), Rect::new(250, 200, 500, 400));
}

// ---------------------------------------------------------------------------------------
// Unmanaging
// ---------------------------------------------------------------------------------------

#[test]
fn unmapped_windows_are_withdrawn() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let fx = input(&mut s, Input::Unmapped { window: 2 });
    assert!(fx.contains(&Effect::Withdraw(2)));
    assert!(hooks(&fx).contains(&HookEvent::ClientKilled(2)));
    assert!(!s.clients.contains_key(&2));
    assert_eq!(windows_of(&s, "1"), vec![1]);
    assert_eq!(s.managed_order, vec![1]);
    assert_eq!(rect(&s, 1), SCREEN);
}

#[test]
fn destroyed_windows_are_forgotten_without_withdraw() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let fx = input(&mut s, Input::Destroyed { window: 2 });
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Withdraw(_))),
        "{fx:?}"
    );
    assert!(hooks(&fx).contains(&HookEvent::ClientKilled(2)));
    assert!(!s.clients.contains_key(&2));
    assert_eq!(s.managed_order, vec![1]);
}

#[test]
fn focus_returns_to_the_previously_focused_window() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3, 4]);
    click(&mut s, 2);
    click(&mut s, 4);
    click(&mut s, 1);
    // History: 3, 2, 4, 1. Closing 1 goes back to 4, not to a layout neighbour.
    let fx = input(&mut s, Input::Unmapped { window: 1 });
    assert_eq!(s.focused(), Some(4));
    assert_eq!(
        hooks(&fx),
        vec![HookEvent::ClientKilled(1), HookEvent::ClientFocus(4)]
    );
    input(&mut s, Input::Destroyed { window: 4 });
    assert_eq!(s.focused(), Some(2));
    input(&mut s, Input::Destroyed { window: 2 });
    assert_eq!(s.focused(), Some(3));
    input(&mut s, Input::Destroyed { window: 3 });
    assert_eq!(s.focused(), None);
    assert_eq!(s.snapshot().focus, None);
}

#[test]
fn unmanaging_an_unfocused_window_keeps_focus() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    let fx = input(&mut s, Input::Destroyed { window: 1 });
    assert_eq!(hooks(&fx), vec![HookEvent::ClientKilled(1)]);
    assert_eq!(s.focused(), Some(3));
}

#[test]
fn unmanaging_in_a_hidden_group_keeps_its_history() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    click(&mut s, 1);
    act(&mut s, to_group("2"));
    map(&mut s, 9, normal());
    input(&mut s, Input::Destroyed { window: 1 });
    assert_eq!(s.focused(), Some(9));
    act(&mut s, to_group("1"));
    assert_eq!(s.focused(), Some(3));
}

#[test]
fn inputs_about_unknown_windows_are_ignored() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let before = format!("{:?}", s.snapshot());
    let ghost = 999;
    let inputs = vec![
        Input::Unmapped { window: ghost },
        Input::Destroyed { window: ghost },
        Input::TitleChanged {
            window: ghost,
            title: "x".into(),
        },
        Input::HintsChanged {
            window: ghost,
            urgent: true,
            input_hint: None,
        },
        Input::SizeHintsChanged {
            window: ghost,
            hints: SizeHints::default(),
        },
        Input::ProtocolsChanged {
            window: ghost,
            protocols: Protocols::default(),
        },
        Input::StrutChanged {
            window: ghost,
            strut: Some(top_strut(100).into()),
        },
        Input::StrutChanged {
            window: ghost,
            strut: None,
        },
        Input::Enter { window: ghost },
        Input::FocusIn { window: ghost },
        Input::Clicked { window: ghost },
        Input::Activate {
            window: ghost,
            pager: false,
        },
        Input::CloseRequest { window: ghost },
        Input::WmDesktopRequest {
            window: ghost,
            desktop: 3,
        },
        Input::WmStateRequest {
            window: ghost,
            change: StateChange::Toggle,
            states: NetStates {
                fullscreen: true,
                demands_attention: true,
                hidden: true,
                sticky: true,
                ..Default::default()
            },
        },
        Input::Action(Action::FocusWindow { window: ghost }),
        Input::Action(Action::KillWindow { window: ghost }),
    ];
    for i in inputs {
        let fx = input(&mut s, i.clone());
        assert!(fx.is_empty(), "{i:?} gave {fx:?}");
    }
    assert_eq!(format!("{:?}", s.snapshot()), before);
    assert_eq!(s.focused(), Some(2));
}

#[test]
fn transients_lose_their_parent_when_it_goes() {
    let mut s = state();
    map(&mut s, 1, normal());
    map(&mut s, 2, transient(1, 100, 100));
    input(&mut s, Input::Destroyed { window: 1 });
    assert_eq!(s.clients[&2].info.transient_for, None);
    assert!(s.clients[&2].floating);
    // A new window with the old id does not adopt the orphan.
    map(&mut s, 1, normal());
    assert_eq!(s.clients[&2].info.transient_for, None);
}

// ---------------------------------------------------------------------------------------
// ConfigureRequest
// ---------------------------------------------------------------------------------------

fn req(x: i32, y: i32, w: u32, h: u32) -> ConfigureReq {
    ConfigureReq {
        x: Some(x),
        y: Some(y),
        w: Some(w),
        h: Some(h),
        ..Default::default()
    }
}

fn configure(s: &mut State, w: WindowId, r: ConfigureReq) -> Vec<Effect> {
    input(s, Input::ConfigureRequest { window: w, req: r })
}

#[test]
fn configure_requests_of_unmanaged_windows_are_granted() {
    let mut s = state();
    let r = req(10, 20, 30, 40);
    assert_eq!(
        configure(&mut s, 77, r),
        vec![Effect::ConfigureUnmanaged { window: 77, req: r }]
    );
    // Docks too, but an empty request of a dock needs no answer.
    map(&mut s, 50, dock(top_strut(20)));
    assert_eq!(
        configure(&mut s, 50, r),
        vec![Effect::ConfigureUnmanaged { window: 50, req: r }]
    );
    assert!(configure(&mut s, 50, ConfigureReq::default()).is_empty());
}

#[test]
fn tiled_windows_are_told_their_tile() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let before = s.snapshot();
    let fx = configure(&mut s, 1, req(5, 5, 10, 10));
    assert_eq!(
        fx,
        vec![Effect::ConfigureNotify {
            window: 1,
            rect: Rect::new(0, 0, 500, 800),
            border: 0,
        }]
    );
    assert_eq!(s.snapshot(), before, "a tiled window cannot move itself");
}

#[test]
fn tiled_windows_are_told_their_tile_with_margin_and_border() {
    let mut s = State::new(
        &config_with(|st| {
            st.margin = 4;
            st.border_width = 2;
        }),
        &[SCREEN],
    );
    map(&mut s, 1, normal());
    let fx = configure(&mut s, 1, req(5, 5, 10, 10));
    assert_eq!(
        fx,
        vec![Effect::ConfigureNotify {
            window: 1,
            rect: Rect::new(4, 4, 988, 788),
            border: 2,
        }]
    );
}

#[test]
fn fullscreen_windows_are_told_the_screen() {
    let mut s = state();
    map_all(&mut s, [1]);
    act(&mut s, Action::ToggleFullscreen);
    let fx = configure(&mut s, 1, req(5, 5, 10, 10));
    assert_eq!(
        fx,
        vec![Effect::ConfigureNotify {
            window: 1,
            rect: SCREEN,
            border: 0,
        }]
    );
}

#[test]
fn floating_windows_move_and_resize_within_their_hints() {
    let mut s = State::new(&config_with(|st| st.border_width = 3), &[SCREEN]);
    map(
        &mut s,
        1,
        ClientInfo {
            window_type: WindowType::Dialog,
            geometry: Rect::new(100, 100, 300, 200),
            size_hints: SizeHints {
                min: Some((200, 150)),
                max: Some((600, 400)),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    let old = s.snapshot();
    let fx = configure(&mut s, 1, req(50, 60, 1000, 50));
    assert!(fx.is_empty(), "the diff configures it: {fx:?}");
    assert_eq!(s.clients[&1].float_rect, Rect::new(50, 60, 600, 150));
    assert_eq!(rect(&s, 1), Rect::new(50, 60, 600, 150));
    let d = diff(&old, &s.snapshot());
    assert!(d.contains(&Effect::Configure {
        window: 1,
        rect: Rect::new(50, 60, 600, 150),
        border: 3,
    }));
    // Only some fields: the others stay.
    configure(
        &mut s,
        1,
        ConfigureReq {
            w: Some(250),
            ..Default::default()
        },
    );
    assert_eq!(s.clients[&1].float_rect, Rect::new(50, 60, 250, 150));
    // Nothing changes: the client still gets an answer.
    let fx = configure(&mut s, 1, req(50, 60, 250, 150));
    assert_eq!(
        fx,
        vec![Effect::ConfigureNotify {
            window: 1,
            rect: Rect::new(50, 60, 250, 150),
            border: 3,
        }]
    );
    // Increments are honoured.
    input(
        &mut s,
        Input::SizeHintsChanged {
            window: 1,
            hints: SizeHints {
                inc: Some((10, 20)),
                base: Some((5, 5)),
                ..Default::default()
            },
        },
    );
    configure(&mut s, 1, req(0, 0, 109, 109));
    assert_eq!(s.clients[&1].float_rect, Rect::new(0, 0, 105, 105));
}

#[test]
fn hidden_floating_windows_are_answered_and_remember_the_request() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    act(&mut s, to_group("2"));
    let fx = configure(&mut s, 1, req(10, 10, 300, 300));
    assert_eq!(
        fx,
        vec![Effect::ConfigureNotify {
            window: 1,
            rect: Rect::new(10, 10, 300, 300),
            border: 0,
        }]
    );
    act(&mut s, to_group("1"));
    assert_eq!(rect(&s, 1), Rect::new(10, 10, 300, 300));
}

#[test]
fn in_the_floating_layout_every_window_keeps_its_own_geometry() {
    let mut cfg = config();
    cfg.layouts = vec![LayoutSpec::named("floating"), LayoutSpec::named("max")];
    let mut s = State::new(&cfg, &[SCREEN]);
    map(
        &mut s,
        1,
        ClientInfo {
            geometry: Rect::new(10, 20, 300, 200),
            ..Default::default()
        },
    );
    assert_eq!(layout_name(&s), "floating");
    assert_eq!(rect(&s, 1), Rect::new(10, 20, 300, 200));
    let fx = configure(&mut s, 1, req(30, 40, 310, 210));
    assert!(fx.is_empty());
    assert_eq!(rect(&s, 1), Rect::new(30, 40, 310, 210));
    act(&mut s, Action::NextLayout);
    assert_eq!(rect(&s, 1), SCREEN);
}

#[test]
fn absurd_configure_requests_do_not_break_anything() {
    let mut s = state();
    map(&mut s, 1, typed(WindowType::Dialog));
    map(&mut s, 2, normal());
    for r in [
        req(i32::MAX, i32::MAX, u32::MAX, u32::MAX),
        req(i32::MIN, i32::MIN, 0, 0),
        req(-5, -5, 1 << 31, 1 << 31),
    ] {
        configure(&mut s, 1, r);
        configure(&mut s, 2, r);
        // A transient of the absurd window is centred on it without overflow.
        map(&mut s, 3, transient(1, 200, 100));
        input(&mut s, Input::Destroyed { window: 3 });
    }
}

// ---------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------

#[test]
fn focus_next_and_prev_follow_layout_order_and_wrap() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    let fx = act(&mut s, Action::FocusNext);
    assert_eq!(s.focused(), Some(1), "wraps from the last to the first");
    assert_eq!(hooks(&fx), vec![HookEvent::ClientFocus(1)]);
    act(&mut s, Action::FocusNext);
    assert_eq!(s.focused(), Some(2));
    act(&mut s, Action::FocusPrev);
    act(&mut s, Action::FocusPrev);
    assert_eq!(s.focused(), Some(3), "wraps from the first to the last");
    // One window: focus stays, no hook.
    let mut one = state();
    map(&mut one, 1, normal());
    assert!(hooks(&act(&mut one, Action::FocusNext)).is_empty());
    assert_eq!(one.focused(), Some(1));
    // No window: nothing.
    let mut none = state();
    assert!(act(&mut none, Action::FocusNext).is_empty());
    assert!(act(&mut none, Action::FocusPrev).is_empty());
}

#[test]
fn shuffle_moves_the_focused_window_in_layout_order() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    act(&mut s, Action::ShuffleUp);
    assert_eq!(windows_of(&s, "1"), vec![1, 3, 2]);
    act(&mut s, Action::ShuffleUp);
    assert_eq!(windows_of(&s, "1"), vec![3, 1, 2]);
    assert_eq!(
        rect(&s, 3),
        Rect::new(0, 0, 500, 800),
        "now the main window"
    );
    act(&mut s, Action::ShuffleDown);
    assert_eq!(windows_of(&s, "1"), vec![1, 3, 2]);
    assert_eq!(s.focused(), Some(3), "focus follows the window");
    // Past the ends it wraps.
    act(&mut s, Action::ShuffleDown);
    act(&mut s, Action::ShuffleDown);
    assert_eq!(windows_of(&s, "1"), vec![3, 2, 1]);
    // Empty group: nothing.
    let mut none = state();
    act(&mut none, Action::ShuffleUp);
    act(&mut none, Action::ShuffleDown);
}

#[test]
fn kill_closes_politely_when_the_client_speaks_wm_delete_window() {
    let mut s = state();
    map(
        &mut s,
        1,
        ClientInfo {
            protocols: Protocols {
                delete_window: true,
                take_focus: false,
            },
            ..Default::default()
        },
    );
    assert_eq!(
        act(&mut s, Action::Kill),
        vec![Effect::Close {
            window: 1,
            delete_window: true
        }]
    );
    map(&mut s, 2, normal());
    assert_eq!(
        act(&mut s, Action::Kill),
        vec![Effect::Close {
            window: 2,
            delete_window: false
        }]
    );
    assert_eq!(
        act(&mut s, Action::KillWindow { window: 1 }),
        vec![Effect::Close {
            window: 1,
            delete_window: true
        }]
    );
    // Closing is asked, not done: the window stays until it goes.
    assert!(s.clients.contains_key(&1));
    let mut none = state();
    assert!(act(&mut none, Action::Kill).is_empty());
}

#[test]
fn toggle_floating_keeps_the_tile_and_remembers_the_float_geometry() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    click(&mut s, 1);
    act(&mut s, Action::ToggleFloating);
    assert!(s.clients[&1].floating);
    // It floats where it was tiled; the other window takes the screen.
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    assert_eq!(rect(&s, 2), SCREEN);
    assert_eq!(s.snapshot().stack.last(), Some(&1), "floating above tiled");
    configure(&mut s, 1, req(50, 60, 300, 200));
    act(&mut s, Action::ToggleFloating);
    assert!(!s.clients[&1].floating);
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    act(&mut s, Action::ToggleFloating);
    assert_eq!(
        rect(&s, 1),
        Rect::new(50, 60, 300, 200),
        "float geometry remembered"
    );
    assert_eq!(s.focused(), Some(1));
    // Without a focused window, nothing happens.
    let mut none = state();
    act(&mut none, Action::ToggleFloating);
}

#[test]
fn toggle_fullscreen_covers_the_screen_without_border_on_top() {
    let mut s = State::new(
        &config_with(|st| {
            st.margin = 4;
            st.border_width = 2;
        }),
        &[SCREEN],
    );
    map(&mut s, 50, dock(top_strut(30)));
    map(&mut s, 1, normal());
    map(&mut s, 2, typed(WindowType::Dialog));
    click(&mut s, 1);
    let tile = rect(&s, 1);
    act(&mut s, Action::ToggleFullscreen);
    let snap = s.snapshot();
    let v = snap.windows[&1];
    assert_eq!(v.rect, SCREEN, "the whole screen, struts included");
    assert_eq!(v.border, 0);
    assert!(v.fullscreen);
    assert_eq!(snap.stack.last(), Some(&1), "above the floating dialog");
    act(&mut s, Action::ToggleFullscreen);
    let v = s.snapshot().windows[&1];
    assert_eq!((v.rect, v.border, v.fullscreen), (tile, 2, false));
}

#[test]
fn layouts_cycle_and_emit_layout_change() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    assert_eq!(layout_name(&s), "monadtall");
    let fx = act(&mut s, Action::NextLayout);
    assert_eq!(hooks(&fx), vec![HookEvent::LayoutChange]);
    assert_eq!(layout_name(&s), "columns");
    act(&mut s, Action::NextLayout);
    assert_eq!(layout_name(&s), "max");
    assert_eq!(rect(&s, 1), SCREEN);
    assert_eq!(rect(&s, 2), SCREEN);
    assert_eq!(s.snapshot().stack.last(), Some(&2), "focused on top in max");
    act(&mut s, Action::NextLayout);
    assert_eq!(layout_name(&s), "monadtall", "wraps");
    let fx = act(&mut s, Action::PrevLayout);
    assert_eq!(hooks(&fx), vec![HookEvent::LayoutChange]);
    assert_eq!(layout_name(&s), "max", "wraps backwards");
    act(&mut s, Action::PrevLayout);
    assert_eq!(layout_name(&s), "columns");
}

#[test]
fn set_layout_by_name() {
    let mut s = state();
    let fx = act(&mut s, Action::SetLayout { name: "Max".into() });
    assert_eq!(hooks(&fx), vec![HookEvent::LayoutChange]);
    assert_eq!(layout_name(&s), "max");
    // Already current, or not in the group's list: nothing.
    assert!(act(&mut s, Action::SetLayout { name: "max".into() }).is_empty());
    assert!(act(
        &mut s,
        Action::SetLayout {
            name: "tile".into()
        }
    )
    .is_empty());
    assert!(act(
        &mut s,
        Action::SetLayout {
            name: "nonsense".into()
        }
    )
    .is_empty());
    assert_eq!(layout_name(&s), "max");
}

#[test]
fn each_group_has_its_own_layout() {
    let mut s = state();
    act(&mut s, Action::NextLayout);
    act(&mut s, to_group("2"));
    assert_eq!(layout_name(&s), "monadtall");
    act(&mut s, to_group("1"));
    assert_eq!(layout_name(&s), "columns");
}

#[test]
fn groups_may_have_their_own_layouts() {
    let mut cfg = config();
    cfg.groups[1].layouts = Some(vec![LayoutSpec::named("tile"), LayoutSpec::named("bogus")]);
    cfg.groups[2].layouts = Some(vec![LayoutSpec::named("bogus")]);
    let mut s = State::new(&cfg, &[SCREEN]);
    assert_eq!(s.groups[1].layouts.len(), 1, "unknown layouts are dropped");
    assert_eq!(s.groups[1].current_layout().name(), "tile");
    assert_eq!(
        s.groups[2].current_layout().name(),
        "monadtall",
        "a group without any valid layout gets a default one"
    );
    act(&mut s, to_group("2"));
    assert!(
        act(&mut s, Action::NextLayout).is_empty(),
        "a single layout"
    );
}

#[test]
fn layout_messages_change_the_geometry() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let fx = act(&mut s, Action::Grow);
    assert_eq!(hooks(&fx), vec![HookEvent::LayoutChange]);
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 550, 800));
    act(&mut s, Action::Normalize);
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    // MonadTall has no main count: no change, no hook.
    assert!(act(&mut s, Action::IncMain).is_empty());
    for _ in 0..20 {
        act(&mut s, Action::Shrink);
    }
    assert_eq!(rect(&s, 1).w, 100, "clamped at the minimum ratio");
    assert!(act(&mut s, Action::Shrink).is_empty());
}

#[test]
fn actions_for_the_event_loop_do_nothing_in_the_core() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let before = s.snapshot();
    for a in [
        Action::Spawn {
            cmd: "xterm".into(),
        },
        Action::Reload,
        Action::Restart,
        Action::Quit,
        Action::Lua { id: 3 },
        Action::EnterChord { id: 0 },
        Action::LeaveChord,
    ] {
        assert!(act(&mut s, a).is_empty());
    }
    assert_eq!(s.snapshot(), before);
}

#[test]
fn to_group_shows_another_group() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let fx = act(&mut s, to_group("3"));
    assert_eq!(hooks(&fx), vec![HookEvent::GroupChange]);
    assert_eq!(current(&s), "3");
    assert_eq!(s.focused(), None);
    assert!(!visible(&s, 1) && !visible(&s, 2));
    let fx = act(&mut s, to_group("1"));
    assert_eq!(
        hooks(&fx),
        vec![HookEvent::GroupChange, HookEvent::ClientFocus(2)]
    );
    assert_eq!(s.focused(), Some(2));
    // The current group, or an unknown one: nothing.
    assert!(act(&mut s, to_group("1")).is_empty());
    assert!(act(&mut s, to_group("nope")).is_empty());
    assert_eq!(current(&s), "1");
}

#[test]
fn move_to_group_moves_the_focused_window() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    click(&mut s, 1);
    act(&mut s, move_to("4"));
    assert_eq!(group_of(&s, 1), "4");
    assert_eq!(windows_of(&s, "1"), vec![2, 3]);
    assert_eq!(windows_of(&s, "4"), vec![1]);
    assert_eq!(current(&s), "1", "the view stays");
    assert_eq!(s.focused(), Some(3), "focus falls back in history");
    assert!(!visible(&s, 1));
    act(&mut s, to_group("4"));
    assert_eq!(s.focused(), Some(1));
    // Moving to its own group or an unknown one: nothing.
    assert!(act(&mut s, move_to("4")).is_empty());
    assert!(act(&mut s, move_to("nope")).is_empty());
    assert_eq!(group_of(&s, 1), "4");
    // It joins at the end of the target group and becomes its focused window.
    act(&mut s, to_group("1"));
    act(&mut s, move_to("4"));
    assert_eq!(windows_of(&s, "4"), vec![1, 3]);
    assert_eq!(s.groups[3].focused(), Some(3));
    // With nothing focused: nothing.
    act(&mut s, to_group("9"));
    assert!(act(&mut s, move_to("1")).is_empty());
}

#[test]
fn prev_group_toggle_goes_back_and_forth() {
    let mut s = state();
    assert!(
        act(&mut s, Action::PrevGroupToggle).is_empty(),
        "no previous group yet"
    );
    act(&mut s, to_group("5"));
    act(&mut s, Action::PrevGroupToggle);
    assert_eq!(current(&s), "1");
    act(&mut s, Action::PrevGroupToggle);
    assert_eq!(current(&s), "5");
    act(&mut s, to_group("2"));
    act(&mut s, Action::PrevGroupToggle);
    assert_eq!(current(&s), "5");
}

#[test]
fn next_and_prev_group_wrap() {
    let mut s = state();
    act(&mut s, Action::PrevGroup);
    assert_eq!(current(&s), "9");
    act(&mut s, Action::NextGroup);
    assert_eq!(current(&s), "1");
    act(&mut s, Action::NextGroup);
    assert_eq!(current(&s), "2");
}

#[test]
fn to_group_of_the_other_screen_swaps_the_screens() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    s.focused_screen = 0;
    assert_eq!(rect(&s, 1), LEFT);
    assert_eq!(rect(&s, 2), RIGHT);
    let fx = act(&mut s, to_group("2"));
    assert_eq!(hooks(&fx)[0], HookEvent::GroupChange);
    assert_eq!(s.screens[0].group, 1);
    assert_eq!(s.screens[1].group, 0);
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), Some(2));
    assert_eq!(rect(&s, 2), LEFT);
    assert_eq!(rect(&s, 1), RIGHT);
    // A hidden group replaces only the focused screen's.
    act(&mut s, to_group("3"));
    assert_eq!(s.screens[0].group, 2);
    assert_eq!(s.screens[1].group, 0);
    assert!(!visible(&s, 2));
    // NextGroup onto the group of the other screen swaps as well.
    act(&mut s, to_group("9"));
    act(&mut s, Action::NextGroup);
    assert_eq!(s.screens[0].group, 0);
    assert_eq!(s.screens[1].group, 8);
}

#[test]
fn moving_a_window_to_the_group_on_the_other_screen_shows_it_there() {
    let mut s = two_screens();
    map_all(&mut s, [1, 2]);
    act(&mut s, move_to("2"));
    assert_eq!(rect(&s, 2), RIGHT);
    assert_eq!(rect(&s, 1), LEFT);
    assert_eq!(s.focused(), Some(1));
    assert_eq!(s.groups[1].focused(), Some(2));
}

// ---------------------------------------------------------------------------------------
// EWMH requests and focus inputs
// ---------------------------------------------------------------------------------------

#[test]
fn activate_switches_to_a_hidden_window_and_focuses_it() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    act(&mut s, to_group("3"));
    map(&mut s, 3, normal());
    let fx = input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: false,
        },
    );
    assert_eq!(current(&s), "1");
    assert_eq!(s.focused(), Some(1));
    let h = hooks(&fx);
    assert_eq!(h.first(), Some(&HookEvent::GroupChange));
    assert_eq!(h.last(), Some(&HookEvent::ClientFocus(1)));
    // Activating a visible window just focuses it.
    input(
        &mut s,
        Input::Activate {
            window: 2,
            pager: false,
        },
    );
    assert_eq!(s.focused(), Some(2));
    assert_eq!(current(&s), "1");
    // So does the FocusWindow action.
    act(&mut s, Action::FocusWindow { window: 3 });
    assert_eq!(current(&s), "3");
    assert_eq!(s.focused(), Some(3));
}

#[test]
fn activate_without_focus_on_activate_marks_urgent() {
    let mut s = State::new(&config_with(|st| st.focus_on_activate = false), &[SCREEN]);
    map_all(&mut s, [1, 2]);
    act(&mut s, to_group("3"));
    let fx = input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: false,
        },
    );
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(current(&s), "3");
    assert!(s.clients[&1].urgent);
    let snap = s.snapshot();
    assert!(snap.windows[&1].urgent);
    assert_eq!(snap.windows[&1].border_color, s.settings.border_urgent);
    // Focusing it answers the urgency.
    act(&mut s, to_group("1"));
    click(&mut s, 1);
    assert!(!s.clients[&1].urgent);
    assert!(!s.snapshot().windows[&1].urgent);
    // Activating the focused window does not mark it.
    input(
        &mut s,
        Input::Activate {
            window: 1,
            pager: false,
        },
    );
    assert!(!s.clients[&1].urgent);
}

#[test]
fn close_request_closes() {
    let mut s = state();
    map(&mut s, 1, normal());
    assert_eq!(
        input(&mut s, Input::CloseRequest { window: 1 }),
        vec![Effect::Close {
            window: 1,
            delete_window: false
        }]
    );
}

#[test]
fn desktop_requests_switch_groups_and_ignore_out_of_range() {
    let mut s = state();
    let fx = input(&mut s, Input::DesktopRequest { desktop: 4 });
    assert_eq!(hooks(&fx), vec![HookEvent::GroupChange]);
    assert_eq!(current(&s), "5");
    assert_eq!(s.snapshot().current_desktop, 4);
    for d in [9, 100, u32::MAX] {
        assert!(input(&mut s, Input::DesktopRequest { desktop: d }).is_empty());
    }
    assert_eq!(current(&s), "5");
}

#[test]
fn wm_desktop_requests_move_windows_and_ignore_out_of_range() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    input(
        &mut s,
        Input::WmDesktopRequest {
            window: 1,
            desktop: 2,
        },
    );
    assert_eq!(group_of(&s, 1), "3");
    assert_eq!(s.snapshot().windows[&1].desktop, 2);
    for d in [9, u32::MAX] {
        input(
            &mut s,
            Input::WmDesktopRequest {
                window: 2,
                desktop: d,
            },
        );
    }
    assert_eq!(group_of(&s, 2), "1");
    // A hidden window moved onto the shown group is shown and focused.
    input(
        &mut s,
        Input::WmDesktopRequest {
            window: 1,
            desktop: 0,
        },
    );
    assert_eq!(group_of(&s, 1), "1");
    assert!(visible(&s, 1));
    assert_eq!(s.focused(), Some(1));
}

fn wm_state(s: &mut State, w: WindowId, change: StateChange, fs: bool, da: bool) {
    input(
        s,
        Input::WmStateRequest {
            window: w,
            change,
            states: NetStates {
                fullscreen: fs,
                demands_attention: da,
                ..Default::default()
            },
        },
    );
}

#[test]
fn wm_state_requests_set_fullscreen() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    wm_state(&mut s, 1, StateChange::Add, true, false);
    assert!(s.clients[&1].fullscreen);
    assert_eq!(rect(&s, 1), SCREEN);
    wm_state(&mut s, 1, StateChange::Add, true, false);
    assert!(s.clients[&1].fullscreen, "add is idempotent");
    wm_state(&mut s, 1, StateChange::Toggle, true, false);
    assert!(!s.clients[&1].fullscreen);
    wm_state(&mut s, 1, StateChange::Toggle, true, false);
    assert!(s.clients[&1].fullscreen);
    wm_state(&mut s, 1, StateChange::Remove, true, false);
    assert!(!s.clients[&1].fullscreen);
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    // A request that names neither state changes nothing.
    wm_state(&mut s, 1, StateChange::Toggle, false, false);
    assert!(!s.clients[&1].fullscreen && !s.clients[&1].urgent);
}

#[test]
fn wm_state_requests_set_demands_attention_and_focus_clears_it() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    wm_state(&mut s, 1, StateChange::Add, false, true);
    assert!(s.clients[&1].urgent);
    assert!(s.snapshot().windows[&1].urgent);
    wm_state(&mut s, 1, StateChange::Remove, false, true);
    assert!(!s.clients[&1].urgent);
    wm_state(&mut s, 1, StateChange::Toggle, false, true);
    assert!(s.clients[&1].urgent);
    click(&mut s, 1);
    assert!(!s.clients[&1].urgent, "focus clears urgency");
    // The focused window cannot demand attention.
    wm_state(&mut s, 1, StateChange::Add, false, true);
    assert!(!s.clients[&1].urgent);
    // Both at once.
    wm_state(&mut s, 2, StateChange::Add, true, true);
    assert!(s.clients[&2].fullscreen && s.clients[&2].urgent);
}

#[test]
fn urgency_hints_mark_unfocused_windows_only() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    for (w, expect) in [(1, true), (2, false)] {
        input(
            &mut s,
            Input::HintsChanged {
                window: w,
                urgent: true,
                input_hint: Some(false),
            },
        );
        assert_eq!(s.clients[&w].urgent, expect);
    }
    // The input hint decides how focus is given.
    assert_eq!(
        s.snapshot().focus,
        Some(FocusTarget {
            window: 2,
            set_input: false,
            take_focus: false,
        })
    );
}

#[test]
fn enter_focuses_with_focus_follows_mouse() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let fx = input(&mut s, Input::Enter { window: 1 });
    assert_eq!(hooks(&fx), vec![HookEvent::ClientFocus(1)]);
    assert_eq!(s.focused(), Some(1));
    // Entering the focused window again: no hook.
    assert!(input(&mut s, Input::Enter { window: 1 }).is_empty());
    // Entering a hidden window (a stale event) does nothing.
    act(&mut s, move_to("2"));
    input(&mut s, Input::Enter { window: 1 });
    assert_eq!(s.focused(), Some(2));
}

#[test]
fn enter_does_not_focus_without_focus_follows_mouse() {
    let mut s = State::new(&config_with(|st| st.focus_follows_mouse = false), &[SCREEN]);
    map_all(&mut s, [1, 2]);
    assert!(input(&mut s, Input::Enter { window: 1 }).is_empty());
    assert_eq!(s.focused(), Some(2));
    // Clicking still does.
    click(&mut s, 1);
    assert_eq!(s.focused(), Some(1));
}

#[test]
fn enter_on_the_other_screen_moves_screen_focus() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    input(&mut s, Input::Enter { window: 1 });
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.focused(), Some(1));
    assert_eq!(s.snapshot().current_desktop, 0);
}

#[test]
fn focus_in_follows_visible_windows_only() {
    let mut s = state();
    map_all(&mut s, [1, 2, 3]);
    let fx = input(&mut s, Input::FocusIn { window: 1 });
    assert_eq!(hooks(&fx), vec![HookEvent::ClientFocus(1)]);
    assert_eq!(s.focused(), Some(1));
    assert!(input(&mut s, Input::FocusIn { window: 1 }).is_empty());
    act(&mut s, move_to("2"));
    assert_eq!(s.focused(), Some(3));
    assert!(input(&mut s, Input::FocusIn { window: 1 }).is_empty());
    assert_eq!(s.focused(), Some(3));
}

// ---------------------------------------------------------------------------------------
// Snapshot and diff
// ---------------------------------------------------------------------------------------

#[test]
fn tiled_windows_never_overlap_and_stay_in_the_work_area() {
    for layout in ["monadtall", "monadwide", "columns", "tile"] {
        for n in 1..=12u32 {
            let mut cfg = config_with(|st| {
                st.margin = 4;
                st.border_width = 2;
            });
            cfg.layouts = vec![LayoutSpec::named(layout)];
            let mut s = State::new(&cfg, &[SCREEN]);
            map(&mut s, 100, dock(top_strut(24)));
            map_all(&mut s, 1..=n);
            let area = s.work_area(0);
            let snap = s.snapshot();
            // Outer rectangles: the window with its border.
            let outer: Vec<Rect> = (1..=n)
                .map(|w| {
                    let v = snap.windows[&w];
                    assert!(v.visible);
                    assert_eq!(v.border, 2);
                    Rect::new(v.rect.x, v.rect.y, v.rect.w + 4, v.rect.h + 4)
                })
                .collect();
            for (i, a) in outer.iter().enumerate() {
                assert!(
                    area.contains_rect(a),
                    "{layout} n={n}: {a:?} outside {area:?}"
                );
                // The margin keeps it off the edges of the area.
                assert!(
                    a.x >= area.x + 4 && a.y >= area.y + 4,
                    "{layout} n={n}: {a:?}"
                );
                for b in &outer[i + 1..] {
                    assert!(!a.intersects(b), "{layout} n={n}: {a:?} overlaps {b:?}");
                }
            }
        }
    }
}

#[test]
fn tiles_cover_the_whole_screen_without_margin_and_border() {
    let mut s = state();
    map_all(&mut s, 1..=7);
    let total: u64 = (1..=7).map(|w| rect(&s, w).area()).sum();
    assert_eq!(total, SCREEN.area());
}

#[test]
fn hidden_groups_windows_are_not_visible() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    act(&mut s, to_group("2"));
    map(&mut s, 3, normal());
    let snap = s.snapshot();
    assert!(!snap.windows[&1].visible && !snap.windows[&2].visible);
    assert!(snap.windows[&3].visible);
    assert_eq!(snap.stack, vec![3]);
    assert_eq!(
        snap.client_list,
        vec![1, 2, 3],
        "hidden windows stay in the list"
    );
    assert_eq!(snap.windows[&1].desktop, 0);
    assert_eq!(snap.windows[&3].desktop, 1);
}

#[test]
fn diff_of_a_snapshot_with_itself_is_empty() {
    let mut s = state();
    assert!(diff(&s.snapshot(), &s.snapshot()).is_empty());
    map_all(&mut s, [1, 2, 3]);
    map(&mut s, 4, typed(WindowType::Dialog));
    act(&mut s, Action::ToggleFullscreen);
    let snap = s.snapshot();
    assert!(diff(&snap, &snap).is_empty());
    // Nothing happened in between: still nothing to do.
    assert!(diff(&snap, &s.snapshot()).is_empty());
}

#[test]
fn the_first_diff_sets_the_root_properties() {
    let mut s = state();
    map(&mut s, 1, normal());
    let fx = diff(&Snapshot::default(), &s.snapshot());
    assert!(fx.contains(&Effect::Desktops((1..=9).map(|i| i.to_string()).collect())));
    assert!(fx.contains(&Effect::CurrentDesktop(0)));
    assert!(fx.contains(&Effect::ClientList {
        mapping: vec![1],
        stacking: vec![1],
    }));
    assert!(fx.contains(&Effect::WmDesktop {
        window: 1,
        desktop: 0
    }));
    assert!(fx.contains(&Effect::BorderColor {
        window: 1,
        color: s.settings.border_focus
    }));
    // Even an empty state announces its desktops.
    let empty = state();
    let fx = diff(&Snapshot::default(), &empty.snapshot());
    assert!(fx.contains(&Effect::CurrentDesktop(0)));
}

#[test]
fn diff_orders_configure_map_focus_unmap() {
    let mut s = state();
    map(&mut s, 1, normal());
    let old = s.snapshot();
    act(&mut s, to_group("2"));
    map(&mut s, 2, normal());
    let fx = diff(&old, &s.snapshot());
    let configure = position(&fx, |e| matches!(e, Effect::Configure { window: 2, .. }));
    let map2 = position(&fx, |e| *e == Effect::Map(2));
    let focus = position(
        &fx,
        |e| matches!(e, Effect::Focus(Some(f)) if f.window == 2),
    );
    let unmap = position(&fx, |e| *e == Effect::Unmap(1));
    let current = position(&fx, |e| *e == Effect::CurrentDesktop(1));
    assert!(configure < map2, "{fx:?}");
    assert!(map2 < focus, "{fx:?}");
    assert!(focus < unmap, "{fx:?}");
    assert!(unmap < current, "{fx:?}");
    assert!(!fx.contains(&Effect::Map(1)));
    // Going back: 1 is mapped again (no reconfigure needed), 2 unmapped.
    let old = s.snapshot();
    act(&mut s, to_group("1"));
    let fx = diff(&old, &s.snapshot());
    assert!(fx.contains(&Effect::Map(1)));
    assert!(fx.contains(&Effect::Unmap(2)));
    assert!(fx.contains(&Effect::Configure {
        window: 1,
        rect: SCREEN,
        border: 0
    }));
}

#[test]
fn diff_reports_focus_changes_with_border_colours() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let old = s.snapshot();
    click(&mut s, 1);
    let fx = diff(&old, &s.snapshot());
    let st = &s.settings;
    assert!(fx.contains(&Effect::BorderColor {
        window: 1,
        color: st.border_focus
    }));
    assert!(fx.contains(&Effect::BorderColor {
        window: 2,
        color: st.border_normal
    }));
    assert!(fx.contains(&Effect::Focus(Some(FocusTarget {
        window: 1,
        set_input: true,
        take_focus: false
    }))));
    assert!(!fx
        .iter()
        .any(|e| matches!(e, Effect::Configure { .. } | Effect::Map(_))));
}

#[test]
fn moving_to_another_group_unmaps_and_sets_the_desktop() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let old = s.snapshot();
    act(&mut s, move_to("3"));
    let fx = diff(&old, &s.snapshot());
    assert!(fx.contains(&Effect::Unmap(2)), "{fx:?}");
    assert!(fx.contains(&Effect::WmDesktop {
        window: 2,
        desktop: 2
    }));
    assert!(fx.contains(&Effect::Configure {
        window: 1,
        rect: SCREEN,
        border: 0
    }));
    assert!(fx.contains(&Effect::Focus(Some(FocusTarget {
        window: 1,
        set_input: true,
        take_focus: false
    }))));
    assert!(fx.contains(&Effect::ClientList {
        mapping: vec![1, 2],
        stacking: vec![2, 1]
    }));
}

#[test]
fn fullscreen_changes_reach_net_wm_state() {
    let mut s = state();
    map(&mut s, 1, normal());
    let old = s.snapshot();
    act(&mut s, Action::ToggleFullscreen);
    let fx = diff(&old, &s.snapshot());
    assert!(fx.contains(&Effect::NetWmState {
        window: 1,
        states: NetStates {
            fullscreen: true,
            ..Default::default()
        }
    }));
    // One borderless window: its tile already was the screen, so it is not remapped.
    assert!(!fx.iter().any(|e| matches!(e, Effect::Map(_))));
}

#[test]
fn unmanaged_windows_drop_out_of_the_snapshot_without_effects_of_their_own() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let old = s.snapshot();
    input(&mut s, Input::Destroyed { window: 2 });
    let fx = diff(&old, &s.snapshot());
    assert!(!fx.iter().any(|e| matches!(
        e,
        Effect::Unmap(2) | Effect::Configure { window: 2, .. } | Effect::Map(2)
    )));
    assert!(fx.contains(&Effect::ClientList {
        mapping: vec![1],
        stacking: vec![1]
    }));
}

#[test]
fn a_burst_of_200_windows_costs_one_layout() {
    let mut s = State::new(&Config::default(), &[SCREEN]);
    let old = s.snapshot();
    for w in 1..=200 {
        s.handle(Input::MapRequest {
            window: w,
            info: normal(),
        });
    }
    let fx = diff(&old, &s.snapshot());
    let configures = fx
        .iter()
        .filter(|e| matches!(e, Effect::Configure { .. }))
        .count();
    let maps = fx.iter().filter(|e| matches!(e, Effect::Map(_))).count();
    assert_eq!(configures, 200);
    assert_eq!(maps, 200);
    assert_eq!(
        fx.iter().filter(|e| matches!(e, Effect::Focus(_))).count(),
        1
    );
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::ClientList { .. }))
            .count(),
        1
    );
    assert_eq!(s.focused(), Some(200));
    check_invariants(&s);
}

#[test]
fn stacking_puts_floating_above_tiled_and_fullscreen_above_all() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    map(&mut s, 3, typed(WindowType::Dialog));
    map(&mut s, 4, typed(WindowType::Utility));
    click(&mut s, 1);
    assert_eq!(s.snapshot().stack, vec![2, 1, 3, 4]);
    click(&mut s, 3);
    assert_eq!(s.snapshot().stack, vec![2, 1, 4, 3]);
    click(&mut s, 2);
    act(&mut s, Action::ToggleFullscreen);
    assert_eq!(s.snapshot().stack, vec![1, 4, 3, 2]);
}

#[test]
fn max_keeps_the_last_focused_tiled_window_on_top_while_a_floating_one_has_focus() {
    let mut s = state();
    act(&mut s, Action::SetLayout { name: "max".into() });
    map_all(&mut s, [1, 2, 3]);
    click(&mut s, 1);
    map(&mut s, 4, typed(WindowType::Dialog));
    assert_eq!(s.focused(), Some(4));
    // Window 1 stays the one seen under the dialog, not the last in layout order.
    assert_eq!(s.snapshot().stack, vec![2, 3, 1, 4]);
}

#[test]
fn tiles_in_a_degenerate_area_stay_inside_it() {
    for layout in ["monadtall", "monadwide", "columns", "tile", "max"] {
        let mut cfg = config();
        cfg.layouts = vec![LayoutSpec::named(layout)];
        let tiny = Rect::new(10, 20, 1, 1);
        let mut s = State::new(&cfg, &[tiny]);
        map_all(&mut s, 1..=5);
        for w in 1..=5 {
            assert_eq!(rect(&s, w), tiny, "{layout}");
        }
    }
}

#[test]
fn rect_helpers_do_not_overflow() {
    let huge = Rect::new(i32::MAX, i32::MIN, u32::MAX, 1 << 31);
    let c = huge.centered(100, 100);
    assert_eq!((c.w, c.h), (100, 100));
    let c = Rect::new(i32::MIN, 0, 0, 0).centered(u32::MAX, 10);
    assert_eq!(c.x, i32::MIN);
    assert_eq!(
        Rect::new(-50, 990, 30, 30).moved_inside(&SCREEN),
        Rect::new(0, 770, 30, 30)
    );
    assert_eq!(
        Rect::new(5, 5, 5000, 10).moved_inside(&SCREEN),
        Rect::new(0, 5, 1000, 10)
    );
    assert_eq!(
        Rect::new(1, 2, 3, 4).moved_inside(&SCREEN),
        Rect::new(1, 2, 3, 4)
    );
    let far = Rect::new(i32::MAX, i32::MAX, u32::MAX, u32::MAX).moved_inside(&SCREEN);
    assert_eq!(far, SCREEN);
}

// ---------------------------------------------------------------------------------------
// Screens
// ---------------------------------------------------------------------------------------

#[test]
fn groups_stay_on_their_screens_when_screens_change() {
    let mut s = state();
    map(&mut s, 1, normal());
    act(&mut s, to_group("4"));
    map(&mut s, 2, normal());
    // A second screen appears: it shows the first group nobody shows.
    let fx = input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT, RIGHT],
        },
    );
    assert_eq!(hooks(&fx), vec![HookEvent::ScreenChange]);
    assert_eq!(current(&s), "4");
    assert_eq!(s.screens[1].group, 0);
    assert_eq!(rect(&s, 1), RIGHT);
    assert_eq!(rect(&s, 2), LEFT);
    // Resolution change: same groups, new geometry.
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![Rect::new(0, 0, 1920, 1080), Rect::new(1920, 0, 1280, 1024)],
        },
    );
    assert_eq!(rect(&s, 2), Rect::new(0, 0, 1920, 1080));
    assert_eq!(rect(&s, 1), Rect::new(1920, 0, 1280, 1024));
}

#[test]
fn removing_a_screen_moves_its_windows_to_a_remaining_screen() {
    let mut s = two_screens();
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    map(&mut s, 3, typed(WindowType::Dialog));
    let dialog = rect(&s, 3);
    assert!(RIGHT.contains_rect(&dialog));
    s.focused_screen = 0;
    click(&mut s, 1);
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT],
        },
    );
    assert_eq!(s.focused_screen, 0);
    assert_eq!(s.screens.len(), 1);
    // Group 2 lost its screen: its windows join group 1 and stay in sight.
    assert_eq!(windows_of(&s, "1"), vec![1, 2, 3]);
    assert!(windows_of(&s, "2").is_empty());
    assert!(visible(&s, 2) && visible(&s, 3));
    assert_eq!(group_of(&s, 2), "1");
    assert_eq!(s.focused(), Some(1), "the focus stays where it was");
    // The floating dialog keeps its place relative to the screen it moved to.
    let moved = rect(&s, 3);
    assert_eq!((moved.x, moved.y), (dialog.x - 1000, dialog.y));
    assert_eq!(rect(&s, 1), Rect::new(0, 0, 500, 800));
    assert_eq!(s.snapshot().client_list, vec![1, 2, 3]);
    // A screen that comes back shows a group nobody shows.
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT, RIGHT],
        },
    );
    assert_eq!(s.screens[1].group, 1);
    assert_eq!(current(&s), "1");
}

#[test]
fn losing_the_focused_screen_moves_its_windows_and_focus_to_the_first() {
    let mut s = State::new(&config(), &[LEFT, RIGHT, Rect::new(2000, 0, 800, 600)]);
    map(&mut s, 1, normal());
    s.focused_screen = 2;
    map(&mut s, 3, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    // The middle screen (focused) goes; the third keeps its group although its index
    // changes.
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT, Rect::new(2000, 0, 800, 600)],
        },
    );
    assert_eq!(s.screens[1].group, 2, "the third screen keeps group 3");
    assert_eq!(s.focused_screen, 0);
    assert_eq!(windows_of(&s, "1"), vec![1, 2]);
    assert_eq!(s.focused(), Some(1));
    assert!(visible(&s, 2) && visible(&s, 3));
    // Mirrored outputs count once.
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT, LEFT],
        },
    );
    assert_eq!(s.screens.len(), 1);
    assert_eq!(windows_of(&s, "1"), vec![1, 2, 3]);
}

#[test]
fn an_empty_screen_list_gets_a_placeholder() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    input(&mut s, Input::ScreensChanged { screens: vec![] });
    assert_eq!(s.screens.len(), 1);
    assert_eq!(s.focused(), Some(2));
    let s2 = State::new(&config(), &[]);
    check_invariants(&s2);
}

#[test]
fn more_screens_than_groups_never_show_a_group_twice() {
    let mut s = State::new(&config_groups(&["a", "b"]), &[LEFT, RIGHT]);
    map(&mut s, 1, normal());
    s.focused_screen = 1;
    map(&mut s, 2, normal());
    input(
        &mut s,
        Input::ScreensChanged {
            screens: vec![LEFT, RIGHT, Rect::new(2000, 0, 800, 600)],
        },
    );
    let snap = s.snapshot();
    assert_eq!(
        snap.stack.len(),
        2,
        "each window is shown once: {:?}",
        snap.stack
    );
    assert_eq!(rect(&s, 1), LEFT);
    assert_eq!(rect(&s, 2), RIGHT);
}

// ---------------------------------------------------------------------------------------
// Reload
// ---------------------------------------------------------------------------------------

#[test]
fn reload_keeps_windows_in_groups_matched_by_name() {
    let mut s = State::new(&config_groups(&["a", "b", "c"]), &[SCREEN]);
    map(&mut s, 1, normal());
    map(&mut s, 2, normal());
    act(&mut s, move_to("b"));
    map(&mut s, 3, normal());
    act(&mut s, move_to("c"));
    act(&mut s, to_group("c"));
    s.apply_config(&config_groups(&["c", "a", "z"]));
    check_invariants(&s);
    assert_eq!(
        windows_of(&s, "c"),
        vec![3, 2],
        "b's window moved to the first group"
    );
    assert_eq!(windows_of(&s, "a"), vec![1]);
    assert!(windows_of(&s, "z").is_empty());
    assert_eq!(group_of(&s, 2), "c");
    assert_eq!(current(&s), "c", "the screen still shows the same group");
    assert_eq!(s.snapshot().desktops, vec!["c", "a", "z"]);
    // The shown group was removed: the screen shows a free group.
    s.apply_config(&config_groups(&["x", "a"]));
    check_invariants(&s);
    assert_eq!(windows_of(&s, "x"), vec![3, 2]);
    assert_eq!(current(&s), "x");
    assert_eq!(s.focused(), Some(2));
}

#[test]
fn reload_takes_the_new_settings_and_layouts() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    let mut cfg = config_with(|st| {
        st.border_width = 5;
        st.focus_follows_mouse = false;
    });
    cfg.layouts = vec![LayoutSpec::named("max")];
    s.apply_config(&cfg);
    check_invariants(&s);
    assert_eq!(layout_name(&s), "max");
    let v = s.snapshot().windows[&1];
    assert_eq!((v.rect, v.border), (Rect::new(0, 0, 990, 790), 5));
    assert!(input(&mut s, Input::Enter { window: 1 }).is_empty());
}

#[test]
fn reload_with_no_groups_falls_back_to_the_default_groups() {
    let mut s = State::new(&config_groups(&["a"]), &[SCREEN]);
    map(&mut s, 1, normal());
    s.apply_config(&config_groups(&[]));
    check_invariants(&s);
    assert_eq!(s.groups.len(), 9);
    assert_eq!(group_of(&s, 1), "1");
}

#[test]
fn reload_with_duplicate_group_names_keeps_each_window_once() {
    let mut s = state();
    map_all(&mut s, [1, 2]);
    s.apply_config(&config_groups(&["1", "1", "2"]));
    check_invariants(&s);
    assert_eq!(s.groups[0].windows, vec![1, 2]);
    assert!(s.groups[1].windows.is_empty());
}

#[test]
fn reload_from_duplicate_group_names_loses_no_window() {
    let mut s = State::new(&config_groups(&["1", "3", "3"]), &[SCREEN]);
    input(&mut s, Input::DesktopRequest { desktop: 2 });
    map(&mut s, 1, normal());
    map(&mut s, 2, normal());
    s.apply_config(&config_groups(&["3", "3", "4"]));
    check_invariants(&s);
    assert_eq!(windows_of(&s, "3"), Vec::<WindowId>::new());
    assert_eq!(
        s.groups[1].windows,
        vec![1, 2],
        "the second \"3\" keeps its windows"
    );
    assert_eq!(s.current_group(), 1, "and its screen");
    s.apply_config(&config_groups(&[]));
    check_invariants(&s);
    assert_eq!(s.managed_order, vec![1, 2]);
}

// ---------------------------------------------------------------------------------------
// JSON views
// ---------------------------------------------------------------------------------------

#[test]
fn views_describe_windows_groups_and_screens() {
    let mut s = state();
    map(
        &mut s,
        1,
        ClientInfo {
            title: "term".into(),
            class: "XTerm".into(),
            ..Default::default()
        },
    );
    map(&mut s, 2, typed(WindowType::Dialog));
    let snap = s.snapshot();
    let w = s.window_json(1, &snap);
    assert_eq!(w["title"], "term");
    assert_eq!(w["group"], "1");
    assert_eq!(w["focused"], false);
    assert_eq!(w["visible"], true);
    assert_eq!(w["width"], 1000);
    assert_eq!(s.window_json(2, &snap)["floating"], true);
    assert_eq!(s.window_json(99, &snap), serde_json::Value::Null);
    let g = s.groups_json();
    assert_eq!(g[0]["windows"], serde_json::json!([1, 2]));
    assert_eq!(g[0]["focused"], true);
    assert_eq!(g[1]["screen"], serde_json::Value::Null);
    let v = s.view();
    assert_eq!(v["focused"], 2);
    assert_eq!(v["current_group"], "1");
    assert_eq!(v["screens"][0]["work_area"]["width"], 1000);
    assert_eq!(s.layout_json()["layout"], "monadtall");
}

// ---------------------------------------------------------------------------------------
// Property: random input sequences keep the invariants
// ---------------------------------------------------------------------------------------

mod property {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    #[allow(clippy::large_enum_variant)]
    enum Step {
        Input(Input),
        Reload(Vec<&'static str>),
        /// Save, adopt the windows again in a fresh state (in this rotation of the managed
        /// order, with the properties X would show), restore.
        Restart(usize),
    }

    /// What a restart does, as `wm.rs` does it: a new state on the same screens and
    /// config, the windows adopted with their `_NET_WM_DESKTOP` and `_NET_WM_STATE`, then
    /// the saved state restored. Checks that it is the same where it must be.
    fn restart(s: &State, cfg: &Config, rotation: usize) -> State {
        let saved = s.save(1);
        let rects: Vec<Rect> = s.screens.iter().map(|sc| sc.rect).collect();
        let mut r = State::new(cfg, &rects);
        r.unmanaged = s.unmanaged.clone();
        for (new, old) in r.screens.iter_mut().zip(&s.screens) {
            new.reserve = old.reserve;
        }
        let mut order = s.managed_order.clone();
        if !order.is_empty() {
            let k = rotation % order.len();
            order.rotate_left(k);
        }
        for w in order {
            let c = &s.clients[&w];
            let mut info = c.info.clone();
            info.desktop = Some(if c.sticky {
                0xffff_ffff
            } else {
                c.group as u32
            });
            info.states = c.net_states();
            info.fullscreen = c.fullscreen;
            r.handle(Input::MapRequest { window: w, info });
        }
        r.restore(&saved);
        check_invariants(&r);
        let names = |st: &State| st.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>();
        assert_eq!(r.managed_order, s.managed_order);
        if names(&r) == names(s) {
            for (a, b) in r.groups.iter().zip(&s.groups) {
                assert_eq!(a.windows, b.windows, "group {} order", a.name);
                assert_eq!(a.focus_stack, b.focus_stack, "group {} focus", a.name);
                assert_eq!(a.current_layout().name(), b.current_layout().name());
                let params = |g: &super::super::state::Group| {
                    g.layouts.iter().map(|l| l.state()).collect::<Vec<_>>()
                };
                assert_eq!(params(a), params(b), "group {} layout parameters", a.name);
            }
            let shown = |st: &State| st.screens.iter().map(|sc| sc.group).collect::<Vec<_>>();
            assert_eq!(shown(&r), shown(s));
            assert_eq!(r.focused_screen, s.focused_screen);
            assert_eq!(r.focused(), s.focused());
            for (w, c) in &s.clients {
                let d = &r.clients[w];
                assert_eq!(
                    (d.group, d.floating, d.float_rect, d.net_states()),
                    (c.group, c.floating, c.float_rect, c.net_states()),
                    "window {w}"
                );
            }
            for (a, b) in r.scratchpads.iter().zip(&s.scratchpads) {
                assert_eq!(a.window, b.window);
            }
        }
        r
    }

    fn window() -> impl Strategy<Value = WindowId> {
        1..30u32
    }

    fn size() -> impl Strategy<Value = u32> {
        prop_oneof![
            4 => 0..2000u32,
            1 => any::<u32>(),
            1 => Just(0u32),
        ]
    }

    fn pos() -> impl Strategy<Value = i32> {
        prop_oneof![
            4 => -500..3000i32,
            1 => any::<i32>(),
        ]
    }

    fn pair() -> impl Strategy<Value = Option<(u32, u32)>> {
        proptest::option::of((size(), size()))
    }

    fn hints() -> impl Strategy<Value = SizeHints> {
        (pair(), pair(), pair(), pair()).prop_map(|(min, max, inc, base)| SizeHints {
            min,
            max,
            inc,
            base,
        })
    }

    fn strut() -> impl Strategy<Value = Strut> {
        (size(), size(), size(), size()).prop_map(|(left, right, top, bottom)| Strut {
            left: left % 4000,
            right: right % 4000,
            top,
            bottom,
        })
    }

    fn window_type() -> impl Strategy<Value = WindowType> {
        prop_oneof![
            6 => Just(WindowType::Normal),
            1 => Just(WindowType::Dialog),
            1 => Just(WindowType::Utility),
            1 => Just(WindowType::Splash),
            1 => Just(WindowType::Toolbar),
            1 => Just(WindowType::Menu),
            1 => Just(WindowType::PopupMenu),
            1 => Just(WindowType::Tooltip),
            1 => Just(WindowType::Notification),
            2 => Just(WindowType::Dock),
            1 => Just(WindowType::Desktop),
        ]
    }

    fn net_states() -> impl Strategy<Value = NetStates> {
        proptest::collection::vec(proptest::bool::weighted(0.2), 10).prop_map(|b| NetStates {
            fullscreen: b[0],
            maximized_vert: b[1],
            maximized_horz: b[2],
            above: b[3],
            below: b[4],
            sticky: b[5],
            hidden: b[6],
            demands_attention: b[7],
            skip_taskbar: b[8],
            skip_pager: b[9],
        })
    }

    fn dock_strut() -> impl Strategy<Value = DockStrut> {
        let range = || (0..3000u32, 0..3000u32);
        (strut(), range(), range(), range(), range(), any::<bool>()).prop_map(
            |(strut, left, right, top, bottom, partial)| {
                if partial {
                    DockStrut {
                        strut,
                        left,
                        right,
                        top,
                        bottom,
                    }
                } else {
                    strut.into()
                }
            },
        )
    }

    fn rect() -> impl Strategy<Value = Rect> {
        (pos(), pos(), size(), size()).prop_map(|(x, y, w, h)| Rect::new(x, y, w, h))
    }

    fn info() -> impl Strategy<Value = ClientInfo> {
        (
            window_type(),
            proptest::option::of(prop_oneof![window(), any::<u32>()]),
            proptest::option::of(any::<bool>()),
            any::<bool>(),
            hints(),
            (any::<bool>(), any::<bool>()),
            rect(),
            proptest::bool::weighted(0.1),
            proptest::option::of(dock_strut()),
            (
                prop_oneof![
                    4 => Just(NetStates::default()),
                    1 => net_states(),
                ],
                proptest::option::of(prop_oneof![0..12u32, Just(u32::MAX)]),
                prop_oneof![
                    Just("xterm"),
                    Just("Firefox"),
                    Just("scratch"),
                    Just("Gimp")
                ],
            ),
        )
            .prop_map(
                |(
                    window_type,
                    transient_for,
                    input_hint,
                    urgent,
                    size_hints,
                    p,
                    geometry,
                    fullscreen,
                    strut,
                    (states, desktop, class),
                )| {
                    ClientInfo {
                        window_type,
                        transient_for,
                        input_hint,
                        urgent,
                        size_hints,
                        protocols: Protocols {
                            delete_window: p.0,
                            take_focus: p.1,
                        },
                        geometry,
                        fullscreen,
                        strut,
                        states,
                        desktop,
                        class: class.to_string(),
                        ..Default::default()
                    }
                },
            )
    }

    fn configure_req() -> impl Strategy<Value = ConfigureReq> {
        (
            proptest::option::of(pos()),
            proptest::option::of(pos()),
            proptest::option::of(size()),
            proptest::option::of(size()),
            proptest::option::of(size()),
        )
            .prop_map(|(x, y, w, h, border)| ConfigureReq {
                x,
                y,
                w,
                h,
                border,
                ..Default::default()
            })
    }

    fn screen_rect() -> impl Strategy<Value = Rect> {
        (-2000..4000i32, -2000..4000i32, 1..3000u32, 1..3000u32)
            .prop_map(|(x, y, w, h)| Rect::new(x, y, w, h))
    }

    fn group_name() -> impl Strategy<Value = String> {
        prop_oneof![
            (1..=10u32).prop_map(|i| i.to_string()),
            Just("nope".to_string()),
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::FocusNext),
            Just(Action::FocusPrev),
            window().prop_map(|window| Action::FocusWindow { window }),
            Just(Action::ShuffleUp),
            Just(Action::ShuffleDown),
            Just(Action::Grow),
            Just(Action::Shrink),
            Just(Action::Normalize),
            Just(Action::IncMain),
            Just(Action::DecMain),
            Just(Action::Kill),
            window().prop_map(|window| Action::KillWindow { window }),
            Just(Action::ToggleFloating),
            Just(Action::ToggleFullscreen),
            Just(Action::NextLayout),
            Just(Action::PrevLayout),
            prop_oneof![
                Just("max"),
                Just("columns"),
                Just("tile"),
                Just("MonadTall")
            ]
            .prop_map(|n| Action::SetLayout { name: n.into() }),
            group_name().prop_map(|group| Action::ToGroup { group }),
            group_name().prop_map(|group| Action::MoveToGroup { group }),
            Just(Action::PrevGroupToggle),
            Just(Action::NextGroup),
            Just(Action::PrevGroup),
            Just(Action::NextScreen),
            Just(Action::PrevScreen),
            (0..4usize).prop_map(|screen| Action::ToScreen { screen }),
            (0..4usize).prop_map(|screen| Action::MoveToScreen { screen }),
            Just(Action::MoveToNextScreen),
            Just(Action::MoveToPrevScreen),
            Just(Action::Minimize),
            prop_oneof![Just("term"), Just("other"), Just("nope")]
                .prop_map(|n| Action::ToggleScratchpad { name: n.into() }),
            prop_oneof![Just("xterm"), Just("Gimp"), Just("^F")].prop_map(|c| {
                Action::FocusMatch {
                    matcher: crate::core::rules::Match {
                        class: vec![c.into()],
                        ..Default::default()
                    },
                }
            }),
            Just(Action::KillMatch {
                matcher: crate::core::rules::Match {
                    class: vec!["Firefox".into()],
                    ..Default::default()
                }
            }),
        ]
    }

    fn change() -> impl Strategy<Value = StateChange> {
        prop_oneof![
            Just(StateChange::Add),
            Just(StateChange::Remove),
            Just(StateChange::Toggle)
        ]
    }

    fn step() -> impl Strategy<Value = Step> {
        let inputs = prop_oneof![
            8 => (window(), info()).prop_map(|(window, info)| Input::MapRequest { window, info }),
            3 => window().prop_map(|window| Input::Unmapped { window }),
            3 => window().prop_map(|window| Input::Destroyed { window }),
            3 => (window(), configure_req())
                .prop_map(|(window, req)| Input::ConfigureRequest { window, req }),
            8 => action().prop_map(Input::Action),
            1 => proptest::collection::vec(screen_rect(), 0..=3)
                .prop_map(|screens| Input::ScreensChanged { screens }),
            2 => window().prop_map(|window| Input::Enter { window }),
            2 => window().prop_map(|window| Input::Clicked { window }),
            2 => window().prop_map(|window| Input::FocusIn { window }),
            2 => (window(), any::<bool>()).prop_map(|(window, pager)| Input::Activate { window, pager }),
            1 => window().prop_map(|window| Input::Iconify { window }),
            1 => (0..12u32).prop_map(|count| Input::DesktopCountRequest { count }),
            1 => any::<bool>().prop_map(|show| Input::ShowingDesktop { show }),
            1 => window().prop_map(|window| Input::FrameExtentsRequest { window }),
            1 => (window(), pos(), pos(), 0..13u32).prop_map(|(window, x, y, direction)| {
                Input::MoveResizeRequest { window, x, y, direction }
            }),
            2 => (window(), any::<bool>(), pos(), pos()).prop_map(|(window, m, x, y)| {
                Input::DragStart {
                    window,
                    kind: if m { DragKind::Move } else { DragKind::Resize },
                    x,
                    y,
                }
            }),
            3 => (pos(), pos()).prop_map(|(x, y)| Input::DragMotion { x, y }),
            1 => Just(Input::DragEnd),
            1 => window().prop_map(|window| Input::CloseRequest { window }),
            1 => (0..12u32).prop_map(|desktop| Input::DesktopRequest { desktop }),
            2 => (window(), 0..12u32)
                .prop_map(|(window, desktop)| Input::WmDesktopRequest { window, desktop }),
            3 => (window(), change(), net_states()).prop_map(
                |(window, change, states)| Input::WmStateRequest {
                    window,
                    change,
                    states,
                }
            ),
            1 => (window(), any::<bool>(), proptest::option::of(any::<bool>())).prop_map(
                |(window, urgent, input_hint)| Input::HintsChanged {
                    window,
                    urgent,
                    input_hint,
                }
            ),
            1 => (window(), hints())
                .prop_map(|(window, hints)| Input::SizeHintsChanged { window, hints }),
            1 => (window(), proptest::option::of(strut()))
                .prop_map(|(window, strut)| Input::StrutChanged {
                    window,
                    strut: strut.map(Into::into),
                }),
            1 => (0..4usize, strut())
                .prop_map(|(screen, reserve)| Input::ReserveChanged { screen, reserve }),
        ];
        prop_oneof![
            40 => inputs.prop_map(Step::Input),
            1 => proptest::collection::vec(
                prop_oneof![Just("1"), Just("2"), Just("3"), Just("4"), Just("x"), Just("y")],
                0..6
            )
            .prop_map(Step::Reload),
            1 => any::<usize>().prop_map(Step::Restart),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn random_inputs_keep_the_invariants(
            steps in proptest::collection::vec(step(), 1..200),
            margin in prop_oneof![Just(0u32), 0..20u32],
            border in prop_oneof![Just(0u32), 0..10u32],
            ffm in any::<bool>(),
            foa in any::<bool>(),
        ) {
            let settings = |c: &mut Settings| {
                c.margin = margin;
                c.border_width = border;
                c.focus_follows_mouse = ffm;
                c.focus_on_activate = foa;
            };
            let with_desktop = |c: &mut Config| {
                c.rules = vec![
                    Rule {
                        matcher: Match { class: vec!["Gimp".into()], ..Default::default() },
                        group: Some("3".into()),
                        float: Some(true),
                        ..Default::default()
                    },
                    Rule {
                        matcher: Match { class: vec!["^F".into()], ..Default::default() },
                        screen: Some(1),
                        focus: Some(false),
                        geometry: Some(Geometry {
                            x: Some(Length::Fraction(0.5)),
                            width: Some(Length::Pixels(300)),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                ];
                let mut sp = ScratchpadSpec::new("term", "xterm -class scratch");
                sp.matcher = Some(Match { class: vec!["scratch".into()], ..Default::default() });
                c.scratchpads = vec![sp, ScratchpadSpec::new("other", "true")];
            };
            let mut cfg = config_with(settings);
            with_desktop(&mut cfg);
            let mut s = State::new(&cfg, &[SCREEN]);
            let mut last = Snapshot::default();
            for step in steps {
                match step {
                    Step::Input(i) => {
                        s.handle(i);
                    }
                    Step::Reload(names) => {
                        cfg = config_groups(&names);
                        settings(&mut cfg.settings);
                        with_desktop(&mut cfg);
                        s.apply_config(&cfg);
                    }
                    Step::Restart(rotation) => {
                        s = restart(&s, &cfg, rotation);
                        last = Snapshot::default();
                    }
                }
                check_invariants(&s);
                let snap = s.snapshot();
                // Diffing is total and idempotent.
                let _ = diff(&last, &snap);
                prop_assert!(diff(&snap, &snap).is_empty());
                last = snap;
            }
        }
    }
}
